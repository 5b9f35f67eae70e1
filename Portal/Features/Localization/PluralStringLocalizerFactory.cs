using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Portal.Features.Localization;

/// <summary>
/// The framework's resource localizers, formatting through <see cref="PluralFormat"/>: <c>T["Due_Overdue", 1]</c> reads
/// "1 jour de retard" in French and "1 day overdue" in English, from one resource string per language.
/// </summary>
public sealed class PluralStringLocalizerFactory(ResourceManagerStringLocalizerFactory resources) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new PluralStringLocalizer(resources.Create(resourceSource));

    public IStringLocalizer Create(string baseName, string location) => new PluralStringLocalizer(resources.Create(baseName, location));

    private sealed class PluralStringLocalizer(IStringLocalizer inner) : IStringLocalizer
    {
        public LocalizedString this[string name] => Formatted(inner[name], []);

        public LocalizedString this[string name, params object[] arguments] => Formatted(inner[name], arguments);

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);

        private static LocalizedString Formatted(LocalizedString pattern, object[] arguments) =>
            pattern.ResourceNotFound
                ? pattern
                : new LocalizedString(pattern.Name, PluralFormat.Format(pattern.Value, CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture, arguments), false, pattern.SearchedLocation);
    }
}
