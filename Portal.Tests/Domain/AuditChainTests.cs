using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Audit;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class AuditChainTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var chain = Chain(5);

        Assert.Equal(AuditChainVerification.Intact, AuditChain.Verify(chain));
        Assert.Equal(AuditChain.GenesisHash, chain[0].PreviousHash);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), chain.Select(e => e.Id));
    }

    [Fact]
    public void An_altered_entry_is_detected()
    {
        var chain = Chain(5);
        Tamper(chain[2], nameof(AuditEntry.Detail), "nothing to see");

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenEntryId);
    }

    [Fact]
    public void An_altered_entry_with_a_recomputed_hash_breaks_the_link_to_the_next()
    {
        var chain = Chain(5);
        Tamper(chain[2], nameof(AuditEntry.UserId), "someone-else");
        Tamper(chain[2], nameof(AuditEntry.Hash), AuditChain.ComputeHash(chain[2].PreviousHash, chain[2]));

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBrokenEntryId);
    }

    [Fact]
    public void A_removed_entry_is_detected()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        Assert.Equal(3, AuditChain.Verify(chain).FirstBrokenEntryId);
    }

    [Fact]
    public void Removing_the_first_entries_is_detected()
    {
        var chain = Chain(3);

        Assert.False(AuditChain.Verify(chain.Skip(1)).IsIntact);
    }

    [Fact]
    public void A_page_verifies_against_the_entry_before_it()
    {
        var chain = Chain(6);

        Assert.True(AuditChain.Verify(chain.Skip(3), precedingEntry: chain[2]).IsIntact);
        Assert.False(AuditChain.Verify(chain.Skip(3), precedingEntry: chain[1]).IsIntact);
    }

    [Fact]
    public void Every_field_is_covered_by_the_hash()
    {
        foreach (var property in new[] { "AtUtc", "UserName", "Role", "IpAddress", "Action", "RecordType", "RecordId" })
        {
            var chain = Chain(2);
            var original = typeof(AuditEntry).GetProperty(property)!.GetValue(chain[1]);
            object? changed = original switch
            {
                DateTime at => at.AddSeconds(1),
                AuditAction action => action == AuditAction.Exported ? AuditAction.ViewedCase : AuditAction.Exported,
                _ => "changed",
            };
            Tamper(chain[1], property, changed);

            Assert.False(AuditChain.Verify(chain).IsIntact, $"Changing {property} went unnoticed.");
        }
    }

    [Fact]
    public void The_instant_is_kept_to_the_microsecond_so_it_survives_a_database_round_trip()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));

        var entry = AuditEntry.Append(null, Actor(), AuditAction.ViewedCase, "Case", "x", null, _clock);

        Assert.Equal(1_234_560, entry.AtUtc.Ticks % TimeSpan.TicksPerSecond);
    }

    private static AuditActor Actor() => new(Advocate, "Amina", "Advocate", "10.0.0.7");

    private List<AuditEntry> Chain(int length)
    {
        var chain = new List<AuditEntry>();
        for (var i = 0; i < length; i++)
        {
            chain.Add(AuditEntry.Append(chain.LastOrDefault(), Actor(), AuditAction.ViewedCase, "Case", $"case-{i}", $"viewed {i}", _clock));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        return chain;
    }

    /// <summary>Stands in for someone editing the table directly.</summary>
    private static void Tamper(AuditEntry entry, string property, object? value) =>
        typeof(AuditEntry).GetProperty(property)!.SetValue(entry, value);
}
