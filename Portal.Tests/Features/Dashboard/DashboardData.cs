using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Providers;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Dashboard;
using Portal.Features.Queues;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Dashboard;

/// <summary>
/// A database of its own (no demo data) holding a small hand-built story in Haiti, where every figure is known, and
/// some noise in South Sudan that only the all-countries view may count. Time stands still at Monday 16 June 2025,
/// 12:00 UTC for the domain and for the services under test.
/// </summary>
public sealed class DashboardData : IAsyncLifetime
{
    public const string Country = "HT";
    public const string OtherCountry = "SS";
    public const string Advocate = "dashboard-test-advocate";

    public static readonly DateTimeOffset Now = new(2025, 6, 16, 12, 0, 0, TimeSpan.Zero);

    private int _sequence;

    public TestDatabase Database { get; } = new();

    public StoryClock Clock { get; } = new(Now);

    public CaseWorld World { get; private set; } = null!;

    public UserScope Coordinator { get; private set; } = null!;

    public UserScope Administrator { get; private set; } = null!;

    public UserScope CountryAdvocate { get; private set; } = null!;

    /// <summary>Case numbers by the letter the story gives them.</summary>
    public Dictionary<string, string> Numbers { get; } = [];

    public DashboardService DashboardFor(UserScope scope) => new(Database.Contexts, Clock, World.AuditFor(scope), Policy, World.ScopeFor(scope));

    public QueueService Queues => new(Database.Contexts, Clock, Policy, World.AnyViewersScope);

    /// <summary>The app's reminder policy (its stale-claim threshold is Portal:Paternity:StaleAfterDays).</summary>
    public ReminderPolicy Policy => Database.Service<ReminderPolicy>();

    public async Task<int> QueueCountAsync(UserScope scope, QueueFilter filter) =>
        (await Queues.GetPageAsync(scope, new QueueRequest(QueueKind.AllCases, filter, PageSize: 1))).TotalCount;

    public async Task<IReadOnlyList<string>> QueueNumbersAsync(UserScope scope, QueueFilter filter) =>
        (await Queues.GetPageAsync(scope, new QueueRequest(QueueKind.AllCases, filter, QueueSort.Number, PageSize: 100))).Rows.Select(r => r.Number).ToList();

    public async Task InitializeAsync()
    {
        World = new CaseWorld(Database);
        Coordinator = await World.StaffAsync(Roles.Coordinator);
        Administrator = await World.StaffAsync(Roles.Administrator);
        CountryAdvocate = await World.StaffAsync(Roles.Advocate, Country);
        await BuildAsync();
        Clock.SetUtcNow(Now);
    }

    public Task DisposeAsync()
    {
        Database.Dispose();
        return Task.CompletedTask;
    }

    private static DateTime At(int year, int month, int day, int hour = 9) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    private Case Open(string letter, string country, DateTime openedAt, RiskLevel risk = RiskLevel.Medium)
    {
        Clock.SetUtcNow(openedAt);
        var survivorCase = Case.OpenFromIntake(new CaseNumber(country, openedAt.Year, ++_sequence), country, risk, "fr", null, Clock);
        Numbers[letter] = survivorCase.Number;
        return survivorCase;
    }

    private void Claim(Case survivorCase, TimeSpan after)
    {
        Clock.SetUtcNow(survivorCase.OpenedAtUtc + after);
        survivorCase.Claim(Advocate, Clock);
    }

    private async Task BuildAsync()
    {
        await using var db = Database.NewContext("dashboard-test");
        var provider = ServiceProvider.Create(Country, "Clinique Test", Enum.GetValues<ReferralType>(), ["fr"], "+000");
        db.Add(provider);
        var policy = ReminderPolicy.Default;

        // Two fresh intakes nobody has taken yet.
        var a = Open("A", Country, At(2025, 6, 14, 12), RiskLevel.High);
        var b = Open("B", Country, At(2025, 6, 16, 8));

        // Assessment, first contact after 3 hours; allegation against an implementing partner.
        var c = Open("C", Country, At(2025, 5, 10, 10));
        Claim(c, TimeSpan.FromHours(3));
        c.RecordAllegation(Allegation(AllegationEntityType.ImplementingPartner, new DateOnly(2025, 5, 1)), Clock);

        // Action plan, first contact after 5 hours.
        var d = Open("D", Country, At(2025, 4, 1));
        Claim(d, TimeSpan.FromHours(5));
        d.StartActionPlan(Advocate, Clock);

        // Assistance, first contact after 1 hour, with referrals and a paternity claim under way.
        var e = Open("E", Country, At(2025, 3, 1));
        Claim(e, TimeSpan.FromHours(1));
        e.StartActionPlan(Advocate, Clock);
        e.StartAssistance(Advocate, Clock);
        e.RecordAllegation(Allegation(AllegationEntityType.PeacekeepingMission, new DateOnly(2025, 2, 20)), Clock);
        e.RecordConsent(ConsentGiver.Person, true, true, [provider.Id], SharedField.None, null, Advocate, Clock);

        // Closure requested; the oldest claim has not moved since October.
        var f = Open("F", Country, At(2024, 12, 1));
        Claim(f, TimeSpan.FromHours(2));
        f.RecordAllegation(Allegation(AllegationEntityType.AgencyFundOrProgramme, new DateOnly(2024, 11, 20)), Clock);
        Clock.SetUtcNow(At(2025, 1, 2));
        f.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(f.Id, [], [], [], null), Advocate, Clock);

        // Closed in May, first contact after 10 hours.
        var g = Open("G", Country, At(2025, 1, 10));
        Claim(g, TimeSpan.FromHours(10));
        g.RecordAllegation(Allegation(AllegationEntityType.SpecialPoliticalMission, new DateOnly(2025, 1, 5)), Clock);

        // Taken up after 4 hours, then released back to the country queue.
        var h = Open("H", Country, At(2025, 2, 1));
        Claim(h, TimeSpan.FromHours(4));
        h.Release(Advocate);

        // Opened before the last twelve months: counted now (open), never in the period.
        var old = Open("Old", Country, At(2023, 3, 1));
        Claim(old, TimeSpan.FromHours(30));

        // Elsewhere: only the all-countries view counts these.
        var s1 = Open("S1", OtherCountry, At(2025, 6, 1));
        var s2 = Open("S2", OtherCountry, At(2025, 3, 3));
        Claim(s2, TimeSpan.FromHours(50));
        s2.RecordAllegation(Allegation(AllegationEntityType.PeacekeepingMission, new DateOnly(2025, 3, 1)), Clock);

        db.AddRange(a, b, c, d, e, f, g, h, old, s1, s2);

        // Referrals of E: Medical sent 2 March, accepted 48 hours later, completed; Psychosocial sent, unanswered;
        // Legal still a draft (never sent, so in no period).
        Clock.SetUtcNow(At(2025, 3, 2));
        var medical = Referral.Create(e, ReferralType.Medical, provider, "Medical care", ReferralUrgency.Routine, Advocate, Clock);
        var psychosocial = Referral.Create(e, ReferralType.Psychosocial, provider, "Counselling", ReferralUrgency.Routine, Advocate, Clock);
        var legal = Referral.Create(e, ReferralType.Legal, provider, "Legal advice", ReferralUrgency.Routine, Advocate, Clock);
        medical.Send(e, provider, policy, Advocate, Clock);
        psychosocial.Send(e, provider, policy, Advocate, Clock);
        Clock.SetUtcNow(At(2025, 3, 4));
        medical.Accept(Advocate, Clock);
        Clock.SetUtcNow(At(2025, 4, 1));
        medical.Complete(ReferralOutcome.ServiceProvided, Advocate, Clock);
        db.AddRange(medical, psychosocial, legal);

        // Follow-ups: due today (E, planned 08:00), overdue (E, 14 June), urgent and past due today (D: due today and
        // overdue), snoozed until this afternoon (D: due today), done (G: nothing).
        var dueToday = FollowUp.CreateManual(e.Id, null, FollowUpKind.General, "Call back", At(2025, 6, 16, 8), isUrgent: false);
        var overdue = FollowUp.CreateManual(e.Id, medical.Id, FollowUpKind.MedicalCheck, null, At(2025, 6, 14), isUrgent: false);
        var urgent = FollowUp.CreateManual(d.Id, null, FollowUpKind.SafetyCheck, null, At(2025, 6, 16, 10), isUrgent: true);
        var snoozed = FollowUp.CreateManual(d.Id, null, FollowUpKind.General, "Visit", At(2025, 6, 10), isUrgent: false);
        Clock.SetUtcNow(At(2025, 6, 12));
        snoozed.Snooze(At(2025, 6, 16, 15), "Person travelling", Advocate, Clock);
        var done = FollowUp.CreateManual(g.Id, null, FollowUpKind.General, "Closing call", At(2025, 5, 1), isUrgent: false);
        done.Complete(Advocate, Clock);
        var later = FollowUp.CreateManual(e.Id, null, FollowUpKind.General, "Next month", At(2025, 7, 16), isUrgent: false);
        db.AddRange(dueToday, overdue, urgent, snoozed, done, later);

        // Paternity claims: F's has not moved since October (stale), E's moved in May, G's ended NotEstablished.
        Clock.SetUtcNow(At(2024, 10, 1));
        var childF = Child.Register(f.Id, "Child A", null, 2024, Sex.Female, null, Clock);
        var claimF = PaternityClaim.Open(childF, "NPL", ["Haiti"], Advocate, Clock);
        Clock.SetUtcNow(At(2025, 3, 5));
        var childE = Child.Register(e.Id, "Child B", null, 2025, Sex.Male, null, Clock);
        var claimE = PaternityClaim.Open(childE, "BGD", ["Haiti"], Advocate, Clock);
        Clock.SetUtcNow(At(2025, 5, 1));
        claimE.MoveTo(PaternityClaimStatus.DnaSampleRequested, Advocate, Clock);
        Clock.SetUtcNow(At(2025, 2, 1));
        var childG = Child.Register(g.Id, "Child C", null, 2023, Sex.Female, null, Clock);
        var claimG = PaternityClaim.Open(childG, "URY", ["Haiti"], Advocate, Clock);
        claimG.MoveTo(PaternityClaimStatus.SubmittedToMemberState, Advocate, Clock);
        claimG.MoveTo(PaternityClaimStatus.UnderReviewByMemberState, Advocate, Clock);
        claimG.MoveTo(PaternityClaimStatus.NotEstablished, Advocate, Clock);
        db.AddRange(childF, claimF, childE, claimE, childG, claimG);

        // G closes last: its follow-up and claim were dealt with before.
        Clock.SetUtcNow(At(2025, 5, 19));
        g.StartActionPlan(Advocate, Clock);
        g.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(g.Id, [], [], [], null), Advocate, Clock);
        Clock.SetUtcNow(At(2025, 5, 20));
        g.ApproveClosure("dashboard-test-coordinator", null, OpenWork.Of(g.Id, [], [], [], null), Clock);

        await db.SaveChangesAsync();
    }

    private static AllegationDetails Allegation(AllegationEntityType type, DateOnly reported) =>
        new(type, null, PersonnelCategory.Unknown, AllegationClass.Unknown, AllegationSubtype.Unknown, null, reported, InvestigationStatus.PreliminaryAssessment, null);
}

/// <summary>A clock a story moves by hand, backwards too (each case's story starts at its own opening).</summary>
public sealed class StoryClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => _now;

    public void SetUtcNow(DateTimeOffset now) => _now = now.ToUniversalTime();

    public void SetUtcNow(DateTime utc) => _now = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
