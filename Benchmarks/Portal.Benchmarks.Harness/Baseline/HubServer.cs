using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR;

namespace Portal.Benchmarks.Baseline;

/// <summary>
/// The floor for live updates: a bare SignalR hub on Kestrel that relays one message to every other client,
/// with the MessagePack protocol that Blazor's blazorpack builds on. Runs as its own process (serve-hub).
/// </summary>
public static class HubServer
{
    public const string HubPath = "/broadcast";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddSignalR().AddMessagePackProtocol();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/health", () => "ok");
        app.MapHub<BroadcastHub>(HubPath);
        await app.RunAsync();
    }
}

public sealed class BroadcastHub : Hub
{
    /// <summary>What "an advocate claimed a case" becomes on the wire: a small event to every open view.</summary>
    public Task Broadcast(long sequence) => Clients.Others.SendAsync("changed", sequence);
}
