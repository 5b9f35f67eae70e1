using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Features.Account;
using Portal.Infrastructure.Security;

namespace Portal.Tests.Features.Account;

/// <summary>The throttle's counting on a fake clock: per account and address, per account, and when each lapses.</summary>
public sealed class SignInThrottleTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.66");
    private static readonly IPAddress Person = IPAddress.Parse("198.51.100.20");
    private static readonly StaffUser User1 = new() { Id = "user-1" };
    private static readonly StaffUser User2 = new() { Id = "user-2" };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() =>
        _throttle = new SignInThrottle(_clock, new StaticOptions(new SecurityOptions
        {
            MaxFailedAccessAttempts = 5,
            AccountFailuresBeforeCodeProof = 12,
            LockoutDuration = TimeSpan.FromMinutes(15),
        }));

    [Fact]
    public void The_fifth_failure_locks_that_address_out_of_that_account_only_until_the_lockout_has_passed()
    {
        var locked = Enumerable.Range(0, 5).Select(_ => _throttle.Failed(User1, Attacker)).ToList();

        Assert.Equal([false, false, false, false, true], locked);
        Assert.True(_throttle.IsAddressLocked(User1, Attacker));
        Assert.False(_throttle.IsAddressLocked(User1, Person));
        Assert.False(_throttle.IsAddressLocked(User2, Attacker));
        Assert.False(_throttle.PasswordAloneUntrusted(User1));

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.True(_throttle.IsAddressLocked(User1, Attacker));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_throttle.IsAddressLocked(User1, Attacker));
    }

    [Fact]
    public void Failures_from_many_addresses_make_a_password_alone_untrusted_until_they_stop_for_the_lockout_period()
    {
        for (var i = 0; i < 11; i++)
        {
            _throttle.Failed(User1, IPAddress.Parse($"192.0.2.{i + 1}"));
            _clock.Advance(TimeSpan.FromMinutes(10)); // slow guessing still adds up while each comes within the period
        }

        Assert.False(_throttle.PasswordAloneUntrusted(User1));
        _throttle.Failed(User1, IPAddress.Parse("192.0.2.200"));
        Assert.True(_throttle.PasswordAloneUntrusted(User1));
        Assert.All(Enumerable.Range(1, 11), i => Assert.False(_throttle.IsAddressLocked(User1, IPAddress.Parse($"192.0.2.{i}"))));

        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.False(_throttle.PasswordAloneUntrusted(User1));
    }

    [Fact]
    public void Signing_in_forgets_the_failures_of_that_address_but_not_the_accounts()
    {
        for (var i = 0; i < 4; i++)
        {
            _throttle.Failed(User1, Person);
        }

        _throttle.SignedIn(User1, Person);
        _throttle.Failed(User1, Person);

        Assert.False(_throttle.IsAddressLocked(User1, Person));
        for (var i = 0; i < 7; i++)
        {
            _throttle.Failed(User1, Attacker);
        }

        Assert.True(_throttle.PasswordAloneUntrusted(User1)); // 4 + 1 + 7 failures of the account
    }

    [Fact]
    public void An_unlock_stamped_on_the_account_forgets_the_failures_before_it_and_counts_those_after()
    {
        var user = new StaffUser { Id = "user-3" };
        for (var i = 0; i < 12; i++)
        {
            _throttle.Failed(user, Attacker);
        }

        Assert.True(_throttle.IsAddressLocked(user, Attacker));
        Assert.True(_throttle.PasswordAloneUntrusted(user));

        _clock.Advance(TimeSpan.FromSeconds(1));
        user.SignInFailuresForgivenUtc = _clock.GetUtcNow(); // as the console writes it, read again at the next sign-in
        Assert.False(_throttle.IsAddressLocked(user, Attacker));
        Assert.False(_throttle.PasswordAloneUntrusted(user));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var locked = Enumerable.Range(0, 5).Select(_ => _throttle.Failed(user, Attacker)).ToList();
        Assert.Equal([false, false, false, false, true], locked);
        Assert.True(_throttle.IsAddressLocked(user, Attacker));
    }

    private sealed class StaticOptions(SecurityOptions value) : IOptionsMonitor<SecurityOptions>
    {
        public SecurityOptions CurrentValue => value;

        public SecurityOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SecurityOptions, string?> listener) => null;
    }
}
