using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A page's link to the portal that a test can drop and restore, as a field link drops without the page closing. The
/// circuit's WebSocket goes through Playwright, so dropping closes it at both ends at once, and offline emulation makes every
/// retry fail until it is restored; Chromium's offline emulation alone leaves an open WebSocket open.
/// </summary>
public sealed class DroppableLink
{
    private readonly IPage _page;
    private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _open = [];
    private bool _dropped;
    private volatile bool _holding;

    private DroppableLink(IPage page) => _page = page;

    /// <summary>Routes the page's circuit connections; call before the page opens the portal.</summary>
    public static async Task<DroppableLink> RouteAsync(IPage page)
    {
        var link = new DroppableLink(page);
        await page.RouteWebSocketAsync(new Regex("/_blazor"), ws =>
        {
            lock (link._open)
            {
                if (link._dropped)
                {
                    _ = ws.CloseAsync(new() { Code = 4000, Reason = "offline" });
                    return;
                }

                var server = ws.ConnectToServer();
                link._open.Add((ws, server));

                // Forwarded by hand (Blazor's frames are binary) so that the page's side can be held.
                ws.OnMessage(frame =>
                {
                    if (!link._holding)
                    {
                        Forward(server, frame);
                    }
                });
                server.OnMessage(frame => Forward(ws, frame));
            }
        });
        return link;
    }

    /// <summary>
    /// From now on nothing the page sends reaches the portal, while the portal's messages still reach the page: a link
    /// that has started to fail, caught at a known moment (an upload under way stays under way until it is dropped).
    /// </summary>
    public void HoldPageMessages() => _holding = true;

    public async Task DropAsync()
    {
        await _page.Context.SetOfflineAsync(true);
        List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
        lock (_open)
        {
            _dropped = true;
            open = [.. _open];
            _open.Clear();
        }

        foreach (var (browserSide, serverSide) in open)
        {
            await serverSide.CloseAsync(new() { Code = 4000, Reason = "offline" });
            await browserSide.CloseAsync(new() { Code = 4000, Reason = "offline" });
        }
    }

    public async Task RestoreAsync()
    {
        lock (_open)
        {
            _dropped = false;
            _holding = false;
        }

        await _page.Context.SetOfflineAsync(false);
    }

    private static void Forward(IWebSocketRoute to, IWebSocketFrame frame)
    {
        if (frame.Binary is { } binary)
        {
            to.Send(binary);
        }
        else
        {
            to.Send(frame.Text ?? "");
        }
    }
}
