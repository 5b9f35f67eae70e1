using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Portal.Features.Localization;

namespace Portal.Tests.TestSupport;

/// <summary>The portal's own localizers (its resources, its plural formatting) for a service built by hand in a test.</summary>
public static class Localizers
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddLogging().AddPortalLocalization().BuildServiceProvider();

    public static IStringLocalizer<T> For<T>() => Services.GetRequiredService<IStringLocalizer<T>>();
}
