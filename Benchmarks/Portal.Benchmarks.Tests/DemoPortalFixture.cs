using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;

namespace Portal.Benchmarks.Tests;

/// <summary>
/// The built portal as its own process with the Development demo data, started as the benchmarks start it, and shared
/// by the tests of the collection. The tests sign in many times from one address within minutes, and post wrong
/// passwords for demo accounts that other tests sign in with: the sign-in scenario's settings (no lockout, no rate
/// limits; the production limits are tested in Portal.Tests) keep them from refusing each other.
/// </summary>
public sealed class DemoPortalFixture : IAsyncLifetime
{
    public ServerProcess Portal { get; private set; } = null!;

    public Uri Home => Portal.BaseUri;

    public async Task InitializeAsync() =>
        Portal = await ServerProcess.StartPortalAsync(RepositoryPaths.Configuration, SignInTimingScenario.PortalSettings());

    public async Task DisposeAsync()
    {
        if (Portal is not null)
        {
            await Portal.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DemoPortalCollection : ICollectionFixture<DemoPortalFixture>
{
    public const string Name = "Demo portal";
}
