using PhoneNumbers;

namespace Portal.Features.Intake;

/// <summary>
/// Phone and WhatsApp numbers checked against the numbering plan of the country chosen on the form, or of the country
/// a leading "+" names, with Google's libphonenumber metadata (loaded per country on first use). Kept in
/// international format, so the office can dial them from any country.
/// </summary>
public static class IntakePhoneNumbers
{
    private const string UnknownRegion = "ZZ";
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <returns>The number in international format, or null and the key of the message to show next to the field.</returns>
    public static string? Check(string typed, string? country, out string? error)
    {
        var region = IntakeCountries.IsServed(country) ? country! : UnknownRegion;
        try
        {
            var number = Numbers.Parse(typed, region);
            if (Numbers.IsValidNumber(number))
            {
                error = null;
                return Numbers.Format(number, PhoneNumberFormat.INTERNATIONAL);
            }
        }
        catch (NumberParseException unknownCountry) when (unknownCountry.ErrorType == ErrorType.INVALID_COUNTRY_CODE && region == UnknownRegion)
        {
            error = "Error_PhoneCountry";
            return null;
        }
        catch (NumberParseException)
        {
            // Not a number at all ("abc"): the same message as a number that does not exist.
        }

        error = "Error_Phone";
        return null;
    }
}
