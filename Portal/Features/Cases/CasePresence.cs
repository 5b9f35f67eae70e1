using System.Collections.Concurrent;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Cases;

/// <summary>
/// Who has which case open right now, so two people never work the same case without knowing it. Each open
/// case page joins on first render and leaves when it closes; a page whose browser is away (tab closed without a
/// goodbye, link dropped) does not count while its circuit waits for it. Watchers are told when the list changes.
/// Scaled out, each node also holds what the other nodes last said about their own viewers (<see cref="PresenceRelay"/>);
/// those entries lapse unless refreshed, so a node that dies leaves no one "viewing" for long.
/// </summary>
public sealed class CasePresence(TimeProvider clock)
{
    /// <summary>How long another node's word about its viewers holds without a refresh (the relay refreshes every 15 s).</summary>
    public static readonly TimeSpan RemoteLifetime = TimeSpan.FromSeconds(45);

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, LocalViewer>> _viewers = new();
    private readonly ConcurrentDictionary<(string Node, Guid CaseId), RemoteViewers> _remote = new();
    private readonly ConcurrentDictionary<Guid, (Action<Guid> Changed, SubscriberContext Context)> _watchers = new();

    /// <summary>This node's viewers of a case changed (the relay tells the other nodes).</summary>
    public event Action<Guid>? LocalChanged;

    /// <param name="browser">The viewer's circuit, whose browser may go away and come back; none: always there.</param>
    public IDisposable Join(Guid caseId, string userId, string displayName, CircuitConnection? browser = null)
    {
        var ticket = Guid.NewGuid();
        void BrowserCameOrWent() => OnLocalChange(caseId);
        _viewers.GetOrAdd(caseId, _ => new()).TryAdd(ticket, new LocalViewer(new Viewer(userId, displayName), browser));
        browser?.ConnectionChanged += BrowserCameOrWent;
        OnLocalChange(caseId);
        return new Leave(this, caseId, ticket, () => browser?.ConnectionChanged -= BrowserCameOrWent);
    }

    /// <summary>Distinct people viewing the case on any node, by display name.</summary>
    public IReadOnlyList<Viewer> ViewersOf(Guid caseId)
    {
        var now = clock.GetUtcNow();
        var remote = _remote.Where(r => r.Key.CaseId == caseId && r.Value.Until > now).SelectMany(r => r.Value.Viewers);
        return LocalViewersOf(caseId).Concat(remote)
            .DistinctBy(v => v.UserId)
            .OrderBy(v => v.DisplayName, StringComparer.CurrentCulture)
            .ToList();
    }

    /// <summary>Distinct people viewing the case on this node.</summary>
    public IReadOnlyList<Viewer> LocalViewersOf(Guid caseId) =>
        _viewers.TryGetValue(caseId, out var viewers)
            ? viewers.Values.Where(v => v.Browser?.IsConnected != false).Select(v => v.Viewer).DistinctBy(v => v.UserId).ToList()
            : [];

    /// <summary>The cases open on this node now.</summary>
    public IReadOnlyList<Guid> LocalCases => [.. _viewers.Keys];

    /// <summary>What another node says about its viewers of a case (an empty list: none left there).</summary>
    public void ApplyRemote(string node, Guid caseId, IReadOnlyList<Viewer> viewers)
    {
        var key = (node, caseId);
        var before = _remote.TryGetValue(key, out var known) ? known.Viewers : [];
        if (viewers.Count == 0)
        {
            _remote.TryRemove(key, out _);
        }
        else
        {
            _remote[key] = new RemoteViewers(viewers, clock.GetUtcNow() + RemoteLifetime);
        }

        if (!before.Select(v => v.UserId).Order(StringComparer.Ordinal).SequenceEqual(viewers.Select(v => v.UserId).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            Notify(caseId);
        }
    }

    /// <summary>Drops what nodes that stopped refreshing said, and tells the pages of those cases.</summary>
    public void ForgetLapsed()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, remote) in _remote)
        {
            if (remote.Until <= now && _remote.TryRemove(new KeyValuePair<(string, Guid), RemoteViewers>(key, remote)))
            {
                Notify(key.CaseId);
            }
        }
    }

    public IDisposable Watch(Action<Guid> changed)
    {
        var id = Guid.NewGuid();
        // Called from whichever page joined or left: the watcher runs in its own page's context, not that one's.
        _watchers[id] = (changed, SubscriberContext.Capture());
        return new Unwatch(this, id);
    }

    private void OnLocalChange(Guid caseId)
    {
        Notify(caseId);
        LocalChanged?.Invoke(caseId);
    }

    private void Notify(Guid caseId)
    {
        foreach (var (changed, context) in _watchers.Values)
        {
            context.Run(() => changed(caseId));
        }
    }

    public sealed record Viewer(string UserId, string DisplayName);

    private sealed record LocalViewer(Viewer Viewer, CircuitConnection? Browser);

    private sealed record RemoteViewers(IReadOnlyList<Viewer> Viewers, DateTimeOffset Until);

    private sealed class Leave(CasePresence presence, Guid caseId, Guid ticket, Action unwatchBrowser) : IDisposable
    {
        public void Dispose()
        {
            unwatchBrowser();
            if (presence._viewers.TryGetValue(caseId, out var viewers) && viewers.TryRemove(ticket, out _))
            {
                if (viewers.IsEmpty)
                {
                    presence._viewers.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<Guid, LocalViewer>>(caseId, viewers));
                }

                presence.OnLocalChange(caseId);
            }
        }
    }

    private sealed class Unwatch(CasePresence presence, Guid id) : IDisposable
    {
        public void Dispose() => presence._watchers.TryRemove(id, out _);
    }
}
