using System.Collections.Concurrent;

namespace Portal.Features.Intake.Abuse;

/// <summary>
/// Remembers ids of single-use tokens (proof-of-work challenges, status access tokens) until they expire, so
/// that each is accepted once. In memory: with several nodes, sticky sessions keep a form and its post on one
/// node; a shared store (Redis) can replace this class without touching its callers.
/// </summary>
public sealed class OneTimeTokens(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>True the first time an id is presented before its expiry; false for every later attempt.</summary>
    public bool TryUse(string id, DateTimeOffset expires)
    {
        var now = time.GetUtcNow();
        SweepExpired(now);
        return expires > now && _used.TryAdd(id, expires);
    }

    internal int Count => _used.Count;

    private void SweepExpired(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now.AddMinutes(1);
        foreach (var (id, expires) in _used)
        {
            if (expires <= now)
            {
                _used.TryRemove(id, out _);
            }
        }
    }
}
