using System.Collections.Concurrent;

namespace Portal.Features.Cases;

/// <summary>
/// Who has which case open right now, so two people never work the same case without knowing it. Each open
/// case page joins on first render and leaves when it closes; watchers are told when the list changes.
/// Presence is per node: with sticky sessions a case opened on two nodes shows each node's viewers.
/// </summary>
public sealed class CasePresence
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, Viewer>> _viewers = new();
    private readonly ConcurrentDictionary<Guid, Action<Guid>> _watchers = new();

    public IDisposable Join(Guid caseId, string userId, string displayName)
    {
        var ticket = Guid.NewGuid();
        _viewers.GetOrAdd(caseId, _ => new()).TryAdd(ticket, new Viewer(userId, displayName));
        Notify(caseId);
        return new Leave(this, caseId, ticket);
    }

    /// <summary>Distinct people viewing the case, by display name.</summary>
    public IReadOnlyList<Viewer> ViewersOf(Guid caseId) =>
        _viewers.TryGetValue(caseId, out var viewers)
            ? viewers.Values.DistinctBy(v => v.UserId).OrderBy(v => v.DisplayName, StringComparer.CurrentCulture).ToList()
            : [];

    public IDisposable Watch(Action<Guid> changed)
    {
        var id = Guid.NewGuid();
        _watchers[id] = changed;
        return new Unwatch(this, id);
    }

    private void Notify(Guid caseId)
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher(caseId);
        }
    }

    public sealed record Viewer(string UserId, string DisplayName);

    private sealed class Leave(CasePresence presence, Guid caseId, Guid ticket) : IDisposable
    {
        public void Dispose()
        {
            if (presence._viewers.TryGetValue(caseId, out var viewers) && viewers.TryRemove(ticket, out _))
            {
                if (viewers.IsEmpty)
                {
                    presence._viewers.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<Guid, Viewer>>(caseId, viewers));
                }

                presence.Notify(caseId);
            }
        }
    }

    private sealed class Unwatch(CasePresence presence, Guid id) : IDisposable
    {
        public void Dispose() => presence._watchers.TryRemove(id, out _);
    }
}
