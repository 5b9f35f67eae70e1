using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Consents;
using Portal.Domain.Providers;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;

namespace Portal.Tests.Domain;

/// <summary>Builders for domain tests. Time starts on Tuesday 3 March 2026, 09:00 UTC.</summary>
internal static class DomainTestData
{
    public const string Advocate = "advocate-1";
    public const string OtherAdvocate = "advocate-2";
    public const string Coordinator = "coordinator-1";
    public const string SecondCoordinator = "coordinator-2";

    public static readonly DateTimeOffset Start = new(2026, 3, 3, 9, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider NewClock() => new(Start);

    public static DateTime Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    public static Case OpenCase(FakeTimeProvider clock, string country = "CD", int sequence = 42) =>
        Case.OpenFromIntake(new CaseNumber(country, 2026, sequence), country, RiskLevel.Medium, "fr", openedBy: null, clock);

    /// <summary>Drives a new case through the public methods to <paramref name="status"/>; closure is requested from Assistance.</summary>
    public static Case CaseIn(CaseStatus status, FakeTimeProvider clock, string country = "CD")
    {
        var c = OpenCase(clock, country);
        if (status == CaseStatus.Intake)
        {
            return c;
        }

        c.Claim(Advocate, clock);
        if (status == CaseStatus.Assessment)
        {
            return c;
        }

        if (status == CaseStatus.FollowUp)
        {
            c.StartActionPlan(Advocate, clock);
            c.StartAssistance(Advocate, clock);
            c.StartFollowUp(Advocate, clock);
            return c;
        }

        c.StartActionPlan(Advocate, clock);
        if (status == CaseStatus.ActionPlan)
        {
            return c;
        }

        c.StartAssistance(Advocate, clock);
        if (status == CaseStatus.Assistance)
        {
            return c;
        }

        c.RequestClosure(CaseClosureReason.AssistanceCompleted, null, OpenWork.Of(c.Id, [], [], [], null), Advocate, clock);
        if (status == CaseStatus.ClosureRequested)
        {
            return c;
        }

        c.ApproveClosure(Coordinator, null, OpenWork.Of(c.Id, [], [], [], null), clock);
        return c;
    }

    public static ServiceProvider Provider(string country = "CD", params ReferralType[] services) =>
        ServiceProvider.Create(country, "Clinique Espoir", services.Length == 0 ? Enum.GetValues<ReferralType>() : services, ["fr"], "+243 000 000");

    public static ConsentRecord ConsentFor(Case c, FakeTimeProvider clock, params ServiceProvider[] providers) =>
        c.RecordConsent(ConsentGiver.Person, forServices: true, forSharingNonIdentifyingData: true, providers.Select(p => p.Id), SharedField.None, null, Advocate, clock);

    public static ReminderPolicy Policy => ReminderPolicy.Default;
}
