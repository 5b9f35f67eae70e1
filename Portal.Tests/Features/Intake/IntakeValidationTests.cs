using Portal.Domain.Intake;
using Portal.Features.Intake;

namespace Portal.Tests.Features.Intake;

public sealed class IntakeValidationTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1)) javascript:alert(1)")]
    [InlineData("\u202Egnp.exe \u202Dtext\u2067isolate")]
    public void Markup_script_links_and_direction_overrides_are_kept_exactly_as_written(string account)
    {
        var errors = IntakeValidation.Validate(new IntakeForm { Account = account }, out var request, "fr");

        Assert.Empty(errors);
        Assert.Equal(account, request!.Account);
        Assert.Equal("fr", request.Language);
    }

    [Fact]
    public void Null_characters_are_refused_with_a_message_for_the_field()
    {
        var errors = IntakeValidation.Validate(new IntakeForm { Account = "before\0after", Area = "a\0" }, out var request, "en");

        Assert.Null(request);
        Assert.Equal("Error_NullCharacter", errors["account"]);
        Assert.Equal("Error_NullCharacter", errors["area"]);
        Assert.Equal("Error_NullCharacter", IntakeValidation.ValidateAddition("x\0", null)["addition"]);
    }

    [Fact]
    public void The_account_is_required_and_limited_in_length()
    {
        Assert.Equal("Error_AccountRequired", IntakeValidation.Validate(new IntakeForm { Account = "  \n " }, out _, "en")["account"]);
        Assert.Equal("Error_AccountTooLong", IntakeValidation.Validate(new IntakeForm { Account = new string('a', IntakeSubmission.WhatHappenedMaxLength + 1) }, out _, "en")["account"]);
        Assert.Empty(IntakeValidation.Validate(new IntakeForm { Account = new string('a', IntakeSubmission.WhatHappenedMaxLength) }, out _, "en"));
        Assert.Equal("Error_AdditionRequired", IntakeValidation.ValidateAddition(" ", " ")["addition"]);
        Assert.Equal("Error_AccountTooLong", IntakeValidation.ValidateAddition(new string('a', IntakeSubmission.AdditionMaxLength + 1), null)["addition"]);
        Assert.Equal("Error_TooLong", IntakeValidation.ValidateAddition(null, new string('a', IntakeSubmission.SafeTimesMaxLength + 1))["addition-safe-times"]);
        Assert.Empty(IntakeValidation.ValidateAddition(null, "après 17h")); // a new safe time alone is an addition
    }

    [Fact]
    public void Contact_details_are_optional_but_checked_when_given()
    {
        var none = IntakeValidation.Validate(new IntakeForm { Account = "Please help" }, out var request, "en");
        var bad = IntakeValidation.Validate(new IntakeForm { Account = "Please help", Email = "not an address", Phone = new string('1', 51), Country = "FR" }, out _, "en");

        Assert.Empty(none);
        Assert.Equal(new ContactDetails(null, null, null, null, false, null), request!.Contact);
        Assert.Equal(ChildBornAnswer.PreferNotToSay, request.ChildBorn);
        Assert.Equal("Error_Email", bad["email"]);
        Assert.Equal("Error_TooLong", bad["phone"]);
        Assert.Equal("Error_Country", bad["country"]);
    }

    [Fact]
    public void Chosen_kinds_of_help_and_a_served_country_carry_over()
    {
        var form = new IntakeForm { Account = "Please help", Medical = true, ChildSupport = true, Safety = true, Country = "HT", ChildBorn = ChildBornAnswer.Yes };

        IntakeValidation.Validate(form, out var request, "ht");
        IntakeValidation.Validate(new IntakeForm { Account = "Please help", Country = IntakeCountries.Elsewhere }, out var elsewhere, "en");

        Assert.Equal([HelpKind.Medical, HelpKind.ChildSupportOrPaternity, HelpKind.Safety], request!.Help);
        Assert.Equal("HT", request.CountryAnswer);
        Assert.Equal(ChildBornAnswer.Yes, request.ChildBorn);
        Assert.Null(elsewhere!.CountryAnswer);
        Assert.Equal("CD", IntakeCountries.QueueFor(elsewhere.CountryAnswer, "CD"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("a b c d")]
    [InlineData("... !!! 12345")]
    [InlineData("ok")]
    public void An_account_of_fewer_than_five_letters_is_refused_with_its_own_message(string account)
    {
        var errors = IntakeValidation.Validate(new IntakeForm { Account = account }, out var request, "en");

        Assert.Null(request);
        Assert.Equal("Error_AccountTooShort", errors["account"]);
    }

    [Theory]
    [InlineData("help me")]
    [InlineData("msaada")]
    [InlineData("ساعدوني")]
    [InlineData("Aidez-moi")]
    public void A_few_words_in_any_script_are_enough(string account) =>
        Assert.Empty(IntakeValidation.Validate(new IntakeForm { Account = account }, out _, "en"));

    [Theory]
    [InlineData("CF", "70 01 23 45", "+236 70 01 23 45")]
    [InlineData("CD", "0991 234 567", "+243 991 234 567")]
    [InlineData("SS", "0977 123 456", "+211 977 123 456")]
    [InlineData("HT", "34 10 1234", "+509 34 10 1234")]
    [InlineData("CF", "+243 991 234 567", "+243 991 234 567")] // another country's number, with its code
    [InlineData(IntakeCountries.Elsewhere, "+256712345678", "+256 712 345678")] // Uganda, written as libphonenumber formats it
    [InlineData(null, "+236 70012345", "+236 70 01 23 45")]
    public void Phone_numbers_are_checked_against_the_countrys_numbering_and_kept_in_international_format(string? country, string typed, string stored)
    {
        var errors = IntakeValidation.Validate(new IntakeForm { Account = "Please help", Country = country, Phone = typed, WhatsApp = typed }, out var request, "en");

        Assert.Empty(errors);
        Assert.Equal(stored, request!.Contact.Phone);
        Assert.Equal(stored, request.Contact.WhatsApp);
    }

    [Theory]
    [InlineData("CF", "abc", "Error_Phone")]
    [InlineData("CF", "12", "Error_Phone")]
    [InlineData("CD", "0991 234", "Error_Phone")] // too short for the DR Congo
    [InlineData("HT", "70 01 23 45", "Error_Phone")] // a Central African number typed as Haitian
    [InlineData(null, "70 01 23 45", "Error_PhoneCountry")] // no country, no code: which country?
    [InlineData(IntakeCountries.Elsewhere, "0991 234 567", "Error_PhoneCountry")]
    public void A_number_that_cannot_be_dialled_is_refused_next_to_its_field(string? country, string typed, string key)
    {
        var errors = IntakeValidation.Validate(new IntakeForm { Account = "Please help", Country = country, Phone = typed, WhatsApp = typed }, out var request, "en");

        Assert.Null(request);
        Assert.Equal(key, errors["phone"]);
        Assert.Equal(key, errors["whatsapp"]);
    }
}
