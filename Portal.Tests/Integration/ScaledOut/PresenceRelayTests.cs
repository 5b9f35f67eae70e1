using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portal.Features.Cases;
using Portal.Infrastructure.Live;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration.ScaledOut;

/// <summary>
/// Who views a case, across nodes, through the test Redis (each test's nodes on a channel of their own). Waits are
/// bounds for failure, not measurements.
/// </summary>
public sealed class PresenceRelayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_viewer_on_one_node_shows_on_the_other_and_goes_when_they_leave()
    {
        var channel = $"test-presence-{Guid.NewGuid():N}";
        await using var a = await Node.StartAsync(channel);
        await using var b = await Node.StartAsync(channel);
        var caseId = Guid.NewGuid();
        var seenOnB = Changes(b.Presence, caseId);

        var amina = a.Presence.Join(caseId, "amina", "Amina Ndakala");
        await WaitUntilAsync(() => b.Presence.ViewersOf(caseId).Any(v => v.UserId == "amina"));
        Assert.Equal(["Amina Ndakala"], b.Presence.ViewersOf(caseId).Select(v => v.DisplayName));
        Assert.Empty(b.Presence.LocalViewersOf(caseId));
        // The open pages are told after the viewer list has changed (on the relay's thread), so this can come a moment later.
        await WaitUntilAsync(() =>
        {
            lock (seenOnB)
            {
                return seenOnB.Count > 0;
            }
        });

        using (b.Presence.Join(caseId, "didier", "Didier Yakité"))
        {
            await WaitUntilAsync(() => a.Presence.ViewersOf(caseId).Count == 2);
            Assert.Equal(["Amina Ndakala", "Didier Yakité"], a.Presence.ViewersOf(caseId).Select(v => v.DisplayName));
        }

        amina.Dispose();
        await WaitUntilAsync(() => b.Presence.ViewersOf(caseId).Count == 0);
        await WaitUntilAsync(() => a.Presence.ViewersOf(caseId).Count == 0);
    }

    [Fact]
    public async Task A_node_that_starts_later_learns_who_already_views_cases_on_the_others()
    {
        var channel = $"test-presence-{Guid.NewGuid():N}";
        await using var a = await Node.StartAsync(channel);
        var caseId = Guid.NewGuid();
        using var amina = a.Presence.Join(caseId, "amina", "Amina Ndakala");

        await using var late = await Node.StartAsync(channel);

        await WaitUntilAsync(() => late.Presence.ViewersOf(caseId).Any(v => v.UserId == "amina"));
    }

    [Fact]
    public async Task A_node_that_stops_withdraws_its_viewers()
    {
        var channel = $"test-presence-{Guid.NewGuid():N}";
        await using var b = await Node.StartAsync(channel);
        var caseId = Guid.NewGuid();
        var a = await Node.StartAsync(channel);
        try
        {
            a.Presence.Join(caseId, "amina", "Amina Ndakala");
            await WaitUntilAsync(() => b.Presence.ViewersOf(caseId).Count == 1);
        }
        finally
        {
            await a.DisposeAsync(); // the stop is the subject: the rest of the test runs with node A gone
        }

        await WaitUntilAsync(() => b.Presence.ViewersOf(caseId).Count == 0);
    }

    [Fact]
    public void What_a_silent_node_said_lapses_and_the_pages_are_told()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var presence = new CasePresence(clock);
        var caseId = Guid.NewGuid();
        var changes = Changes(presence, caseId);
        presence.ApplyRemote("dead-node", caseId, [new CasePresence.Viewer("amina", "Amina Ndakala")]);
        Assert.Single(presence.ViewersOf(caseId));
        Assert.Single(changes);

        clock.Advance(CasePresence.RemoteLifetime - TimeSpan.FromSeconds(1));
        presence.ForgetLapsed();
        Assert.Single(presence.ViewersOf(caseId));

        clock.Advance(TimeSpan.FromSeconds(2));
        // Already hidden before the sweep; the sweep tells the open pages.
        Assert.Empty(presence.ViewersOf(caseId));
        presence.ForgetLapsed();
        Assert.Equal(2, changes.Count);
    }

    private static List<Guid> Changes(CasePresence presence, Guid caseId)
    {
        var changes = new List<Guid>();
        presence.Watch(changed =>
        {
            if (changed == caseId)
            {
                lock (changes)
                {
                    changes.Add(changed);
                }
            }
        });
        return changes;
    }

    private static Task WaitUntilAsync(Func<bool> condition) =>
        Eventually.TrueAsync(condition, Bound, () => "The other node did not hear of it in time.", TimeSpan.FromMilliseconds(20));

    private sealed class Node : IAsyncDisposable
    {
        private readonly RedisConnection _redis;
        private readonly PresenceRelay _relay;

        private Node(RedisConnection redis, CasePresence presence, PresenceRelay relay)
        {
            _redis = redis;
            Presence = presence;
            _relay = relay;
        }

        public CasePresence Presence { get; }

        public static async Task<Node> StartAsync(string channel)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = TestRedis.Server,
                ["Portal:Live:RedisChannel"] = channel,
            }).Build();
            var redis = new RedisConnection(configuration, NullLogger<RedisConnection>.Instance);
            var presence = new CasePresence(TimeProvider.System);
            var relay = new PresenceRelay(redis, presence, configuration, NullLogger<PresenceRelay>.Instance);
            await relay.StartAsync(CancellationToken.None);
            await relay.Listening.WaitAsync(Bound);
            return new Node(redis, presence, relay);
        }

        public async ValueTask DisposeAsync()
        {
            await _relay.StopAsync(CancellationToken.None);
            _relay.Dispose();
            await _redis.DisposeAsync();
        }
    }
}
