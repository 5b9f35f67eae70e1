using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;

namespace Portal.Infrastructure.Security;

/// <summary>The outcome of checking a session: still valid (until when, at the latest, without more activity), or why it ended.</summary>
public readonly record struct SessionCheck(bool IsValid, SessionEndReason? EndReason, DateTimeOffset? ValidUntil = null)
{
    public static SessionCheck Valid(DateTimeOffset until) => new(true, null, until);

    public static SessionCheck Ended(SessionEndReason reason) => new(false, reason);
}

/// <summary>
/// Server-side sessions: started at sign-in, checked on every request and every circuit revalidation,
/// ended by sign-out, idleness, the absolute limit or a change to the account. Every end is announced as a
/// <see cref="LiveEventKind.SessionEnded"/> live event for its user, on every node: their open pages check at once, and
/// each node forgets the checks it was reusing for that user before any page hears of it.
/// </summary>
public sealed class SessionStore : IDisposable
{
    /// <summary>Activity is written at most this often per session; idleness is measured to this precision.</summary>
    private static readonly TimeSpan MaximumTouchInterval = TimeSpan.FromSeconds(30);

    /// <summary>Sessions found open by <see cref="IsOpenAsync"/>: their user and when they were checked.</summary>
    private readonly ConcurrentDictionary<string, (string UserId, DateTimeOffset ReuseUntil)> _open = new(StringComparer.Ordinal);
    private readonly IDbContextFactory<PortalDbContext> dbFactory;
    private readonly IOptionsMonitor<SecurityOptions> options;
    private readonly TimeProvider time;
    private readonly ILiveEvents liveEvents;
    private readonly IDisposable _observation;

    public SessionStore(IDbContextFactory<PortalDbContext> dbFactory, IOptionsMonitor<SecurityOptions> options, TimeProvider time, ILiveEvents liveEvents, InProcessLiveEvents delivered)
    {
        this.dbFactory = dbFactory;
        this.options = options;
        this.time = time;
        this.liveEvents = liveEvents;

        // Events of this node and of the others alike: a session ended on another node is not reused here either.
        _observation = delivered.Observe(e =>
        {
            if (e.Kind == LiveEventKind.SessionEnded && e.RecipientUserId is { } userId)
            {
                Forget(userId);
            }
        });
    }

    public async Task<string> StartAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var session = new StaffSession
        {
            Id = Base64UrlEncode(RandomNumberGenerator.GetBytes(32)),
            UserId = userId,
            StartedUtc = now,
            LastActivityUtc = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Set<StaffSession>().Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>
    /// Checks that the session is open, neither idle nor past its absolute limit, and that its user is enabled
    /// with the same security stamp as at sign-in. A failed check ends the session for good.
    /// With <paramref name="recordActivity"/>, a valid check also counts as user activity.
    /// </summary>
    public Task<SessionCheck> CheckAsync(string sessionId, string userId, string? securityStamp, bool recordActivity, CancellationToken cancellationToken = default) =>
        CheckAsync(sessionId, userId, securityStamp, compareStamp: true, recordActivity, cancellationToken);

    /// <summary>
    /// Whether the session a scope was signed in with is still open, for the case command path and case queries, which
    /// must not act for a user who has signed out, gone idle or been disabled since their page opened. A command the user
    /// gives always asks the store. For a page's own queries a positive answer is reused for
    /// <see cref="SecurityOptions.SessionCheckReuse"/> (never past the moment the session would go idle or reach its
    /// limit), so a burst of re-queries costs one query; an ended session is forgotten on every node before its event
    /// reaches any page. (A changed account ends its sessions, so the security stamp needs no comparison here.)
    /// </summary>
    /// <param name="userAction">A command the user gave: checked in the store, and counted as activity.</param>
    public async Task<bool> IsOpenAsync(UserScope scope, bool userAction, CancellationToken cancellationToken = default)
    {
        if (scope.SessionId is not { } sessionId)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (!userAction && _open.TryGetValue(sessionId, out var known) && known.UserId == scope.UserId && now < known.ReuseUntil)
        {
            return true;
        }

        var check = await CheckAsync(sessionId, scope.UserId, securityStamp: null, compareStamp: false, recordActivity: userAction, cancellationToken);
        if (check.IsValid)
        {
            var reuseUntil = now + options.CurrentValue.SessionCheckReuse;
            _open[sessionId] = (scope.UserId, check.ValidUntil < reuseUntil ? check.ValidUntil.Value : reuseUntil);
        }
        else
        {
            _open.TryRemove(sessionId, out _);
        }

        return check.IsValid;
    }

    private async Task<SessionCheck> CheckAsync(string sessionId, string userId, string? securityStamp, bool compareStamp, bool recordActivity, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await (
                from s in db.Set<StaffSession>()
                join u in db.Users on s.UserId equals u.Id
                where s.Id == sessionId
                select new { Session = s, u.IsDisabled, u.SecurityStamp, u.ProviderId })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.Session.UserId != userId)
        {
            return SessionCheck.Ended(SessionEndReason.AccountChanged);
        }

        var session = row.Session;
        if (session.EndedUtc is not null)
        {
            return SessionCheck.Ended(session.EndReason ?? SessionEndReason.SignedOut);
        }

        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        SessionEndReason? reason =
            row.IsDisabled || await ProviderStaff.IsShutOutAsync(db, row.ProviderId, cancellationToken) ? SessionEndReason.Disabled
            : compareStamp && !string.Equals(row.SecurityStamp, securityStamp, StringComparison.Ordinal) ? SessionEndReason.AccountChanged
            : now - session.StartedUtc >= settings.AbsoluteSessionLimit ? SessionEndReason.AbsoluteLimit
            : now - session.LastActivityUtc >= settings.IdleTimeout ? SessionEndReason.Idle
            : null;
        if (reason is not null)
        {
            _open.TryRemove(sessionId, out _);
            session.EndedUtc = now;
            session.EndReason = reason;
            await db.SaveChangesAsync(cancellationToken);
            await AnnounceAsync(userId);
            return SessionCheck.Ended(reason.Value);
        }

        if (recordActivity && now - session.LastActivityUtc >= TouchInterval(settings))
        {
            session.LastActivityUtc = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        var idleAt = session.LastActivityUtc + settings.IdleTimeout;
        var limitAt = session.StartedUtc + settings.AbsoluteSessionLimit;
        return SessionCheck.Valid(idleAt < limitAt ? idleAt : limitAt);
    }

    public async Task EndAsync(string sessionId, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        _open.TryRemove(sessionId, out _);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var userId = await db.Set<StaffSession>().Where(s => s.Id == sessionId && s.EndedUtc == null).Select(s => s.UserId).FirstOrDefaultAsync(cancellationToken);
        var ended = await db.Set<StaffSession>()
            .Where(s => s.Id == sessionId && s.EndedUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedUtc, now).SetProperty(s => s.EndReason, reason), cancellationToken);
        if (ended > 0 && userId is not null)
        {
            await AnnounceAsync(userId);
        }
    }

    /// <summary>
    /// Ends every open session of a user (but <paramref name="exceptSessionId"/>, the one making the change, if given): used
    /// when an administrator disables or changes the account, and when the person changes their password.
    /// </summary>
    public async Task EndAllForUserAsync(string userId, SessionEndReason reason, string? exceptSessionId = null, CancellationToken cancellationToken = default)
    {
        Forget(userId);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<StaffSession>()
            .Where(s => s.UserId == userId && s.EndedUtc == null && s.Id != exceptSessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedUtc, now).SetProperty(s => s.EndReason, reason), cancellationToken);

        // Announced even when nothing was open here: a changed account must reach pages whose session another node ended.
        await AnnounceAsync(userId);
    }

    public void Dispose() => _observation.Dispose();

    /// <summary>
    /// Tells every node that a session of this user ended, after the end is committed. The event names the user, not the
    /// session: each open page of theirs asks the store about its own session, so their other sessions carry on.
    /// </summary>
    private Task AnnounceAsync(string userId) =>
        liveEvents.PublishAsync(new LiveEvent(LiveEventKind.SessionEnded, "", RecipientUserId: userId));

    private void Forget(string userId)
    {
        foreach (var (sessionId, _) in _open.Where(s => s.Value.UserId == userId))
        {
            _open.TryRemove(sessionId, out _);
        }
    }

    // Short idle timeouts (tests) need finer activity records than the 30-second default.
    private static TimeSpan TouchInterval(SecurityOptions settings) =>
        TimeSpan.FromTicks(Math.Min(MaximumTouchInterval.Ticks, settings.IdleTimeout.Ticks / 10));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
