using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Live;

namespace Portal.Infrastructure.Security;

/// <summary>
/// A circuit keeps the principal it started with, so it re-checks the server-side session: at once when a session of
/// its user ends anywhere (the <see cref="LiveEventKind.SessionEnded"/> event, which reaches every node), at the moment
/// the session would go idle or reach its limit, and every <see cref="SecurityOptions.RevalidationInterval"/> as a
/// safety net (an event lost while Redis was away). A failed check turns the circuit anonymous, and the router then
/// sends the page to the sign-in form.
/// </summary>
public sealed class PortalAuthenticationStateProvider : ServerAuthenticationStateProvider, IDisposable
{
    private readonly SessionStore _sessions;
    private readonly ILiveEvents _liveEvents;
    private readonly IOptionsMonitor<SecurityOptions> _security;
    private readonly IOptions<IdentityOptions> _identity;
    private readonly TimeProvider _time;
    private readonly ILogger<PortalAuthenticationStateProvider> _logger;
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private CancellationTokenSource? _watching;

    public PortalAuthenticationStateProvider(
        SessionStore sessions,
        ILiveEvents liveEvents,
        IOptionsMonitor<SecurityOptions> security,
        IOptions<IdentityOptions> identity,
        TimeProvider time,
        ILogger<PortalAuthenticationStateProvider> logger)
    {
        _sessions = sessions;
        _liveEvents = liveEvents;
        _security = security;
        _identity = identity;
        _time = time;
        _logger = logger;
        AuthenticationStateChanged += Watch;
    }

    public void Dispose()
    {
        AuthenticationStateChanged -= Watch;
        Stop();
    }

    private void Watch(Task<AuthenticationState> state)
    {
        var watching = new CancellationTokenSource();
        lock (_gate)
        {
            _watching?.Cancel();
            _watching?.Dispose();
            _watching = watching;
        }

        _ = SubscriberContext.Capture().StartAsync(() => WatchAsync(state, watching.Token));
    }

    private void Stop()
    {
        lock (_gate)
        {
            _watching?.Cancel();
            _watching?.Dispose();
            _watching = null;
        }
    }

    private async Task WatchAsync(Task<AuthenticationState> stateTask, CancellationToken stop)
    {
        try
        {
            var user = (await stateTask).User;
            var identity = _identity.Value.ClaimsIdentity;
            var sessionId = user.FindFirst(PortalClaimTypes.SessionId)?.Value;
            var userId = user.FindFirst(identity.UserIdClaimType)?.Value;
            var stamp = user.FindFirst(identity.SecurityStampClaimType)?.Value;
            if (user.Identity?.IsAuthenticated != true)
            {
                return;
            }

            if (sessionId is null || userId is null)
            {
                SignOut();
                return;
            }

            // A token source, not a flag: the event may come on any thread while the loop waits or checks.
            using var woken = new WakeUp();
            using var subscription = _liveEvents.Subscribe(
                e => e.Kind == LiveEventKind.SessionEnded && e.RecipientUserId == userId,
                _ =>
                {
                    woken.Set();
                    return Task.CompletedTask;
                });

            // The session cannot go idle sooner than one idle timeout from now; the first check learns the exact moment.
            var settings = _security.CurrentValue;
            var next = _time.GetUtcNow() + (settings.IdleTimeout < settings.RevalidationInterval ? settings.IdleTimeout : settings.RevalidationInterval);
            while (!stop.IsCancellationRequested)
            {
                await woken.WaitAsync(next - _time.GetUtcNow(), _time, stop);
                SessionCheck check;
                try
                {
                    check = await _sessions.CheckAsync(sessionId, userId, stamp, recordActivity: false, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // As the framework's revalidation does: a check that cannot be made ends access rather than extend it.
                    _logger.LogError(ex, "The session of a circuit could not be checked; the circuit is signed out.");
                    check = SessionCheck.Ended(SessionEndReason.AccountChanged);
                }

                if (!check.IsValid)
                {
                    SignOut();
                    return;
                }

                // A timer may fire a little before the moment it was set for: the next check is never sooner than this.
                var now = _time.GetUtcNow();
                var safetyNet = now + _security.CurrentValue.RevalidationInterval;
                next = check.ValidUntil is { } until && until < safetyNet ? until : safetyNet;
                next = next < now + MinimumWait ? now + MinimumWait : next;
            }
        }
        catch (OperationCanceledException)
        {
            // The circuit closed, or its state changed and a new watch took over.
        }
    }

    private void SignOut()
    {
        Stop();
        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
    }

    /// <summary>A wake-up call that is not lost when it comes while nobody waits.</summary>
    private sealed class WakeUp : IDisposable
    {
        private readonly SemaphoreSlim _signal = new(0, 1);

        public void Set()
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
            catch (ObjectDisposedException)
            {
                // An event delivered as the watch ended.
            }
        }

        public void Dispose() => _signal.Dispose();

        public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken stop)
        {
            if (timeout <= TimeSpan.Zero)
            {
                return;
            }

            using var due = new CancellationTokenSource(timeout, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, due.Token);
            try
            {
                await _signal.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // The time came.
            }
        }
    }
}
