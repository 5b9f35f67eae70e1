using Portal.Domain.Common;

namespace Portal.Domain.Countries;

public sealed class Country : AuditedEntity
{
    public const int NameMaxLength = 200;

    private readonly List<string> _timeZoneIds = [];
    private readonly List<string> _languages = [];

    private Country()
    {
    }

    /// <summary>ISO 3166 alpha-2 code, upper case; the key, so it never changes.</summary>
    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>IANA ids; the first is the country's reference zone for deadlines (a country may span several).</summary>
    public IReadOnlyList<string> TimeZoneIds => _timeZoneIds;

    /// <summary>Culture codes of the languages survivors use there, most common first.</summary>
    public IReadOnlyList<string> Languages => _languages;

    /// <summary>A country with a Senior Victims' Rights Officer, as opposed to a focal point.</summary>
    public bool IsFieldCountry { get; private set; }

    public string PrimaryTimeZoneId => _timeZoneIds[0];

    public static Country Create(
        string code,
        string name,
        IEnumerable<string> timeZoneIds,
        IEnumerable<string> languages,
        bool isFieldCountry)
    {
        var country = new Country { Code = Guard.CountryCode(code) };
        country.Update(name, timeZoneIds, languages, isFieldCountry);
        return country;
    }

    public void Update(string name, IEnumerable<string> timeZoneIds, IEnumerable<string> languages, bool isFieldCountry)
    {
        var zones = timeZoneIds.Distinct(StringComparer.Ordinal).ToList();
        if (zones.Count == 0)
        {
            throw new DomainException(ErrorCodes.Required, $"Country {Code} needs at least one time zone.");
        }

        zones.ForEach(id => TimeZones.Find(id));

        var cultures = Guard.CultureCodes(languages, "Language");
        if (cultures.Count == 0)
        {
            throw new DomainException(ErrorCodes.Required, $"Country {Code} needs at least one language.");
        }

        Name = Guard.Required(name, "Country name", NameMaxLength);
        IsFieldCountry = isFieldCountry;
        _timeZoneIds.Clear();
        _timeZoneIds.AddRange(zones);
        _languages.Clear();
        _languages.AddRange(cultures);
    }
}
