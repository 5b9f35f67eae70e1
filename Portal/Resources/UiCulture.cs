using System.Globalization;

namespace Portal.Resources;

/// <summary>
/// Resource lookups follow the UI culture; a message written for someone else (a reminder, an invitation) sets the
/// recipient's language for as long as it is being composed.
/// </summary>
public sealed class UiCulture : IDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

    public UiCulture(string language)
    {
        CultureInfo.CurrentUICulture = language.StartsWith("fr", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("fr") : new CultureInfo("en");
    }

    public void Dispose() => CultureInfo.CurrentUICulture = _previous;
}
