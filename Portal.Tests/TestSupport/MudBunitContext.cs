using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Features.Localization;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A bUnit context with MudBlazor and localization registered. MudBlazor's services are only
/// asynchronously disposable, so xunit must dispose the context through IAsyncLifetime.
/// </summary>
public abstract class MudBunitContext : BunitContext, IAsyncLifetime
{
    // WaitFor… is a bound for failure, not a measure of speed: pages backed by a real database (PostgreSQL in the second
    // test run, on a machine shared by parallel test classes) may take longer than bUnit's one-second default to settle.
    static MudBunitContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected MudBunitContext()
    {
        Services.AddMudServices();
        Services.AddPortalLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
