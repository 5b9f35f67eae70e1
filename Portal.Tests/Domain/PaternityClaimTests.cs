using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using static Portal.Domain.Children.PaternityClaimStatus;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class PaternityClaimTests
{
    /// <summary>The expected table, written out independently of the domain's so a change to either is caught.</summary>
    private static readonly Dictionary<PaternityClaimStatus, PaternityClaimStatus[]> Allowed = new()
    {
        [Intake] = [DnaSampleRequested, SubmittedToMemberState, ClosedUnresolved],
        [DnaSampleRequested] = [DnaSampleCollected, ClosedUnresolved],
        [DnaSampleCollected] = [SubmittedToMemberState, ClosedUnresolved],
        [SubmittedToMemberState] = [UnderReviewByMemberState, DnaSampleRequested, ClosedUnresolved],
        [UnderReviewByMemberState] = [PaternityEstablished, NotEstablished, DnaSampleRequested, ClosedUnresolved],
        [PaternityEstablished] = [ChildSupportOrdered, ClosedUnresolved],
        [ChildSupportOrdered] = [],
        [NotEstablished] = [],
        [ClosedUnresolved] = [],
    };

    /// <summary>How to reach each status from Intake.</summary>
    private static readonly Dictionary<PaternityClaimStatus, PaternityClaimStatus[]> Paths = new()
    {
        [Intake] = [],
        [DnaSampleRequested] = [DnaSampleRequested],
        [DnaSampleCollected] = [DnaSampleRequested, DnaSampleCollected],
        [SubmittedToMemberState] = [SubmittedToMemberState],
        [UnderReviewByMemberState] = [SubmittedToMemberState, UnderReviewByMemberState],
        [PaternityEstablished] = [SubmittedToMemberState, UnderReviewByMemberState, PaternityEstablished],
        [ChildSupportOrdered] = [SubmittedToMemberState, UnderReviewByMemberState, PaternityEstablished, ChildSupportOrdered],
        [NotEstablished] = [SubmittedToMemberState, UnderReviewByMemberState, NotEstablished],
        [ClosedUnresolved] = [ClosedUnresolved],
    };

    private readonly FakeTimeProvider _clock = NewClock();

    public static TheoryData<PaternityClaimStatus, PaternityClaimStatus, bool> AllPairs()
    {
        var data = new TheoryData<PaternityClaimStatus, PaternityClaimStatus, bool>();
        foreach (var from in Enum.GetValues<PaternityClaimStatus>())
        {
            foreach (var to in Enum.GetValues<PaternityClaimStatus>())
            {
                data.Add(from, to, Allowed[from].Contains(to));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Claims_move_only_along_the_transition_table(PaternityClaimStatus from, PaternityClaimStatus to, bool allowed)
    {
        var claim = ClaimIn(from);

        Assert.Equal(allowed, PaternityClaim.AllowedNext(from).Contains(to));
        if (allowed)
        {
            claim.MoveTo(to, Advocate, _clock, "Update from the legal aid provider.");
            Assert.Equal(to, claim.Status);
            return;
        }

        var ex = Assert.Throws<DomainException>(() => claim.MoveTo(to, Advocate, _clock, "note"));
        Assert.Equal(ErrorCodes.PaternityInvalidTransition, ex.Code);
        Assert.Equal(from, claim.Status);
    }

    [Fact]
    public void Closing_unresolved_needs_a_note()
    {
        var claim = ClaimIn(SubmittedToMemberState);

        var ex = Assert.Throws<DomainException>(() => claim.MoveTo(ClosedUnresolved, Advocate, _clock));

        Assert.Equal(ErrorCodes.Required, ex.Code);
        Assert.Equal(SubmittedToMemberState, claim.Status);
    }

    [Theory]
    [InlineData("NPL", true)]
    [InlineData("FRA", true)]
    [InlineData("ZWE", true)]
    [InlineData("npl", false)]
    [InlineData("Member State 07", false)]
    [InlineData("XKX", false)] // a code in use, but not a UN Member State
    [InlineData("NP", false)]
    public void The_member_state_is_one_of_the_un_member_states_by_its_code(string code, bool valid)
    {
        var child = NewChild();

        var error = Record.Exception(() => PaternityClaim.Open(child, code, ["CD"], Advocate, _clock));

        if (valid)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(ErrorCodes.UnknownMemberState, Assert.IsType<DomainException>(error).Code);
        }
    }

    [Fact]
    public void The_list_holds_the_193_member_states_with_distinct_alpha3_codes_and_both_names()
    {
        Assert.Equal(193, MemberStates.All.Count);
        Assert.Equal(193, MemberStates.All.Select(s => s.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(MemberStates.All, s => Assert.Matches("^[A-Z]{3}$", s.Code));
        Assert.All(MemberStates.All, s => Assert.False(string.IsNullOrWhiteSpace(s.EnglishName) || string.IsNullOrWhiteSpace(s.FrenchName), s.Code));
        Assert.Equal(("Democratic Republic of the Congo", "République démocratique du Congo"), (MemberStates.Find("COD")!.EnglishName, MemberStates.Find("COD")!.FrenchName));
        Assert.Equal("Afrique du Sud", MemberStates.Find("ZAF")!.NameIn("fr-FR"));
        Assert.Equal("South Africa", MemberStates.Find("ZAF")!.NameIn("en"));
    }

    [Fact]
    public void By_default_a_claim_without_movement_for_180_days_is_stale()
    {
        var claim = ClaimIn(SubmittedToMemberState);

        _clock.Advance(TimeSpan.FromDays(179));
        Assert.False(ReminderPolicy.Default.IsStale(claim, _clock.GetUtcNow().UtcDateTime));

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.True(ReminderPolicy.Default.IsStale(claim, _clock.GetUtcNow().UtcDateTime));
        Assert.Equal(TimeSpan.FromDays(180), ReminderPolicy.Default.PaternityClaimStaleAfter);
    }

    [Fact]
    public void Movement_resets_the_stale_clock()
    {
        var claim = ClaimIn(SubmittedToMemberState);
        _clock.Advance(TimeSpan.FromDays(200));

        claim.MoveTo(UnderReviewByMemberState, Advocate, _clock);

        Assert.Equal(_clock.GetUtcNow().UtcDateTime, claim.LastMovementAtUtc);
        Assert.False(ReminderPolicy.Default.IsStale(claim, _clock.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public void A_final_claim_is_never_stale()
    {
        var claim = ClaimIn(ChildSupportOrdered);

        _clock.Advance(TimeSpan.FromDays(1000));

        Assert.True(claim.IsFinal);
        Assert.False(ReminderPolicy.Default.IsStale(claim, _clock.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public void The_stale_threshold_is_configurable()
    {
        var claim = ClaimIn(Intake);
        _clock.Advance(TimeSpan.FromDays(31));
        var policy = new ReminderPolicy { WorkingHours = ReminderPolicy.Default.WorkingHours, PaternityClaimStaleAfter = TimeSpan.FromDays(30) };

        Assert.True(policy.IsStale(claim, _clock.GetUtcNow().UtcDateTime));
        Assert.False(ReminderPolicy.Default.IsStale(claim, _clock.GetUtcNow().UtcDateTime));
    }

    [Fact]
    public void History_records_each_status_with_who_and_when()
    {
        var claim = ClaimIn(DnaSampleCollected);

        Assert.Equal(new PaternityClaimStatus[] { Intake, DnaSampleRequested, DnaSampleCollected }, claim.History.OrderBy(h => h.Sequence).Select(h => h.To));
        Assert.All(claim.History, h => Assert.Equal(Advocate, h.ByUserId));
    }

    [Fact]
    public void Legal_aid_must_be_a_legal_referral_of_the_same_case()
    {
        var c = CaseIn(CaseStatus.Assistance, _clock);
        var provider = Provider();
        var child = Child.Register(c.Id, "Child A", new DateOnly(2024, 5, 1), null, Sex.Male, null, _clock);
        var claim = PaternityClaim.Open(child, "NPL", ["CD", "Nepal national courts"], Advocate, _clock);
        var medical = Referral.Create(c, ReferralType.Medical, provider, "x", ReferralUrgency.Routine, Advocate, _clock);
        var legal = Referral.Create(c, ReferralType.PaternityAndChildSupport, provider, "x", ReferralUrgency.Routine, Advocate, _clock);

        Assert.Equal(ErrorCodes.PaternityWrongReferral, Assert.Throws<DomainException>(() => claim.LinkLegalAidReferral(medical)).Code);
        claim.LinkLegalAidReferral(legal);
        Assert.Equal(legal.Id, claim.LegalAidReferralId);
    }

    private Child NewChild() => Child.Register(Guid.NewGuid(), "Child A", new DateOnly(2024, 5, 1), null, Sex.Female, "School fees", _clock);

    private PaternityClaim ClaimIn(PaternityClaimStatus status)
    {
        var claim = PaternityClaim.Open(NewChild(), "NPL", ["CD", "Nepal national courts"], Advocate, _clock);
        foreach (var step in Paths[status])
        {
            claim.MoveTo(step, Advocate, _clock, "Step.");
        }

        return claim;
    }
}
