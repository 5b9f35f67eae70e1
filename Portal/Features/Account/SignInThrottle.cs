using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

/// <summary>
/// Protection against guessing staff passwords that gives nobody a way to lock a named person out. Failed passwords
/// and codes count per account and client address: after <see cref="SecurityOptions.MaxFailedAccessAttempts"/> that
/// address may not try that account again for <see cref="SecurityOptions.LockoutDuration"/>, while the person signs
/// in from anywhere else. They also count per account across addresses: past
/// <see cref="SecurityOptions.AccountFailuresBeforeCodeProof"/> in the same period, a password alone proves nothing
/// any more. Every answer to a password, right or wrong, is then the code step, and only the right password followed
/// by the right code signs in: guesses spread over many addresses learn nothing, and the person still gets in.
/// <para>
/// Counts are kept in this node's memory, as the per-address rate limits are; several nodes each count their own. An
/// unlock (<c>admin unlock</c> at the server's console, another process) reaches them through the account's row: failures
/// up to <see cref="StaffUser.SignInFailuresForgivenUtc"/> no longer count, on every node.
/// </para>
/// </summary>
public sealed class SignInThrottle(TimeProvider time, IOptionsMonitor<SecurityOptions> security)
{
    /// <summary>Above this many tracked keys, expired ones are dropped before a new one is added.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>Whether this address has failed too often for this account and must wait.</summary>
    public bool IsAddressLocked(StaffUser user, IPAddress? address) =>
        CountOf(PairKey(user.Id, address), user.SignInFailuresForgivenUtc) >= Math.Max(1, security.CurrentValue.MaxFailedAccessAttempts);

    /// <summary>Whether the account has failed so often, across addresses, that a password must be followed by a code to count.</summary>
    public bool PasswordAloneUntrusted(StaffUser user) =>
        CountOf(AccountKey(user.Id), user.SignInFailuresForgivenUtc) >= Math.Max(1, security.CurrentValue.AccountFailuresBeforeCodeProof);

    /// <summary>Counts a wrong password or code; true when it has just locked this address out of this account.</summary>
    public bool Failed(StaffUser user, IPAddress? address)
    {
        Add(AccountKey(user.Id), user.SignInFailuresForgivenUtc);
        return Add(PairKey(user.Id, address), user.SignInFailuresForgivenUtc) == Math.Max(1, security.CurrentValue.MaxFailedAccessAttempts);
    }

    /// <summary>The person got in from this address: its failures are forgotten (those of other addresses are not).</summary>
    public void SignedIn(StaffUser user, IPAddress? address) => _failures.TryRemove(PairKey(user.Id, address), out _);

    private int CountOf(string key, DateTimeOffset? forgivenUtc) =>
        _failures.TryGetValue(key, out var failures) ? failures.CountAt(time.GetUtcNow(), security.CurrentValue.LockoutDuration, forgivenUtc) : 0;

    private int Add(string key, DateTimeOffset? forgivenUtc)
    {
        if (_failures.Count > PruneAbove)
        {
            var now = time.GetUtcNow();
            foreach (var (stale, failures) in _failures)
            {
                if (failures.CountAt(now, security.CurrentValue.LockoutDuration, forgivenUtc: null) == 0)
                {
                    _failures.TryRemove(stale, out _);
                }
            }
        }

        return _failures.GetOrAdd(key, _ => new Failures()).Add(time.GetUtcNow(), security.CurrentValue.LockoutDuration, forgivenUtc);
    }

    private static string AccountKey(string userId) => "account:" + userId;

    private static string PairKey(string userId, IPAddress? address) => $"pair:{userId}:{CurrentUser.Format(address) ?? "unknown"}";

    /// <summary>Failures in a row; they lapse together once <c>period</c> has passed since the last one, or once the account is unlocked after it.</summary>
    private sealed class Failures
    {
        private readonly Lock _lock = new();
        private int _count;
        private DateTimeOffset _last;

        public int CountAt(DateTimeOffset now, TimeSpan period, DateTimeOffset? forgivenUtc)
        {
            lock (_lock)
            {
                return Lapsed(now, period, forgivenUtc) ? 0 : _count;
            }
        }

        public int Add(DateTimeOffset now, TimeSpan period, DateTimeOffset? forgivenUtc)
        {
            lock (_lock)
            {
                _count = Lapsed(now, period, forgivenUtc) ? 1 : _count + 1;
                _last = now;
                return _count;
            }
        }

        private bool Lapsed(DateTimeOffset now, TimeSpan period, DateTimeOffset? forgivenUtc) => now - _last >= period || _last <= forgivenUtc;
    }
}
