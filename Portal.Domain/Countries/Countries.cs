namespace Portal.Domain.Countries;

public static class Countries
{
    public const string CentralAfricanRepublic = "CF";
    public const string DemocraticRepublicOfTheCongo = "CD";
    public const string SouthSudan = "SS";
    public const string Haiti = "HT";
    public const string Lebanon = "LB";
    public const string Mali = "ML";
    public const string Somalia = "SO";

    /// <summary>
    /// The countries a new installation starts with. A fresh list on every call: entities are mutable and
    /// tracked by EF, so one shared instance must never end up in two contexts.
    /// </summary>
    public static IReadOnlyList<Country> Defaults =>
    [
        Country.Create(CentralAfricanRepublic, "Central African Republic", ["Africa/Bangui"], ["fr", "sg"], isFieldCountry: true),
        Country.Create(
            DemocraticRepublicOfTheCongo,
            "Democratic Republic of the Congo",
            ["Africa/Kinshasa", "Africa/Lubumbashi"],
            ["fr", "ln", "sw"],
            isFieldCountry: true),
        Country.Create(SouthSudan, "South Sudan", ["Africa/Juba"], ["en", "ar"], isFieldCountry: true),
        Country.Create(Haiti, "Haiti", ["America/Port-au-Prince"], ["fr", "ht"], isFieldCountry: true),
        Country.Create(Lebanon, "Lebanon", ["Asia/Beirut"], ["ar", "fr", "en"], isFieldCountry: false),
        Country.Create(Mali, "Mali", ["Africa/Bamako"], ["fr", "bm"], isFieldCountry: false),
        Country.Create(Somalia, "Somalia", ["Africa/Mogadishu"], ["so", "ar", "en"], isFieldCountry: false),
    ];
}
