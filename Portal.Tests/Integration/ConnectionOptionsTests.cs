using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>Portal:Connections sets how long and how many disconnected pages the server holds, and the page's reconnect notice retries for as long.</summary>
public sealed class ConnectionOptionsTests : IClassFixture<PortalAppFactory>
{
    private readonly PortalAppFactory _factory;

    public ConnectionOptionsTests(PortalAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Disconnected_pages_are_held_for_the_configured_time_and_number_and_the_page_retries_as_long()
    {
        var defaults = new ConnectionOptions();
        var circuits = _factory.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;
        Assert.Equal((TimeSpan.FromMinutes(15), 500), (circuits.DisconnectedCircuitRetentionPeriod, circuits.DisconnectedCircuitMaxRetained));
        Assert.Equal((defaults.DisconnectedCircuitRetention, defaults.MaxRetainedCircuits), (circuits.DisconnectedCircuitRetentionPeriod, circuits.DisconnectedCircuitMaxRetained));
        Assert.Contains("data-retry-seconds=\"900\"", await StaffPageAsync(_factory), StringComparison.Ordinal);

        using var configured = new LongHeldPagesApp();
        var held = configured.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;
        Assert.Equal((TimeSpan.FromMinutes(30), 2000), (held.DisconnectedCircuitRetentionPeriod, held.DisconnectedCircuitMaxRetained));
        Assert.Contains("data-retry-seconds=\"1800\"", await StaffPageAsync(configured), StringComparison.Ordinal);
    }

    /// <summary>A staff page, which holds the reconnect notice; the static sign-in page has no live connection to lose.</summary>
    private static async Task<string> StaffPageAsync(PortalAppFactory app)
    {
        var advocate = await StaffAccounts.CreateAsync(app.Services, Roles.Advocate, ["CF"]);
        using var client = await app.SignInAsync(advocate);
        return await client.GetStringAsync(new Uri("/queues/new", UriKind.Relative));
    }

    /// <summary>An app of its own (its own data folder) that holds disconnected pages longer and more of them.</summary>
    private sealed class LongHeldPagesApp : PortalAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:Connections:DisconnectedCircuitRetention", "00:30:00");
            builder.UseSetting("Portal:Connections:MaxRetainedCircuits", "2000");
        }
    }
}
