namespace Portal.Features.Intake;

/// <summary>The countries where the office has advocates; anything else goes to the default country's queue.</summary>
public static class IntakeCountries
{
    /// <summary>ISO 3166 alpha-2 codes in the order the form lists them.</summary>
    public static readonly IReadOnlyList<string> Served = ["CF", "CD", "SS", "HT"];

    /// <summary>The form's value for "another country, or I would rather not say".</summary>
    public const string Elsewhere = "other";

    public static bool IsServed(string? code) => code is not null && Served.Contains(code, StringComparer.Ordinal);

    /// <summary>The queue a submission lands in.</summary>
    public static string QueueFor(string? answer, string defaultCountry) => IsServed(answer) ? answer! : defaultCountry;
}
