namespace Portal.Features.Retention;

/// <summary>
/// The "Portal:Retention" section. Off by default: nothing is ever erased until a country is given a period, for
/// example <c>Portal__Retention__YearsAfterClosure__CD=10</c>.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Portal:Retention";

    public const string JobId = "retention-erasure";

    /// <summary>Per country (ISO alpha-2): whole years after a case's closure when who the person was is destroyed.</summary>
    public Dictionary<string, int> YearsAfterClosure { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When the erasure job runs: daily at 02:00 UTC by default.</summary>
    public string Cron { get; set; } = "0 2 * * *";

    /// <summary>The period of a country, or null when its cases are kept.</summary>
    public int? YearsFor(string countryCode) =>
        YearsAfterClosure.TryGetValue(countryCode, out var years) && years > 0 ? years : null;

    public bool IsOn => YearsAfterClosure.Values.Any(years => years > 0);
}
