using Microsoft.EntityFrameworkCore;
using Portal.Domain.Cases;
using Portal.Domain.Consents;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using Portal.Features.Reminders;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Tests.Features.Reminders;

/// <summary>
/// The scan and the delivery job on a real SQLite file with a fake clock, across time zones and office hours. Each test
/// has an app (and database) of its own, so the scan's watermark and the clock belong to that test alone.
/// </summary>
public sealed class ReminderScanTests
{
    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    [Fact]
    public async Task Routine_reminders_wait_for_the_recipients_working_hours_in_their_time_zone_and_urgent_ones_go_at_once()
    {
        // Saturday 6 June 2026, 10:00 UTC: 11:00 in Bangui, 06:00 in Port-au-Prince (daylight saving time, UTC-4).
        await using var app = new ReminderApp(new DateTimeOffset(2026, 6, 6, 10, 0, 0, TimeSpan.Zero));
        var bangui = await app.StaffAsync(Roles.Advocate, ["CF"], "Africa/Bangui");
        var haiti = await app.StaffAsync(Roles.Advocate, ["HT"], "America/Port-au-Prince");
        var cfCase = await app.CaseAsync("CF", bangui.UserId);
        var htCase = await app.CaseAsync("HT", haiti.UserId);
        var htHighRisk = await app.CaseAsync("HT", haiti.UserId, RiskLevel.High);
        var routineCf = await app.FollowUpAsync(cfCase.Id, Utc(2026, 6, 6, 9));
        var urgentCf = await app.FollowUpAsync(cfCase.Id, Utc(2026, 6, 6, 9, 30), urgent: true);
        var routineHt = await app.FollowUpAsync(htCase.Id, Utc(2026, 6, 6, 9));
        var highRiskHt = await app.FollowUpAsync(htHighRisk.Id, Utc(2026, 6, 6, 9));

        var first = await app.ScanAsync();

        Assert.Equal(8, first.Planned); // four follow-ups, in-app and e-mail each
        var planned = (await app.NotificationsAsync(q => q.Where(n => n.Channel == NotificationChannel.InApp))).ToDictionary(n => n.SubjectId!.Value);
        Assert.Equal(Utc(2026, 6, 8, 7), planned[routineCf.Id].DeliverAfterUtc); // Monday 08:00 in Bangui
        Assert.Equal(Utc(2026, 6, 8, 12), planned[routineHt.Id].DeliverAfterUtc); // Monday 08:00 in Port-au-Prince
        Assert.Equal(Utc(2026, 6, 6, 10), planned[urgentCf.Id].DeliverAfterUtc);
        Assert.Equal(Utc(2026, 6, 6, 10), planned[highRiskHt.Id].DeliverAfterUtc);
        Assert.True(planned[highRiskHt.Id].IsUrgent);
        Assert.All(planned.Values, n => Assert.Equal(NotificationKind.FollowUpDue, n.Kind));
        Assert.All(planned.Values, n => Assert.False(n.IsEscalation));
        Assert.Equal(4, first.Dispatched);

        Assert.Equal(4, await app.DeliverQueuedAsync());
        var delivered = await app.NotificationsAsync(q => q.Where(n => n.Status == NotificationStatus.Delivered));
        Assert.Equal(new[] { highRiskHt.Id, highRiskHt.Id, urgentCf.Id, urgentCf.Id }.Order(), delivered.Select(n => n.SubjectId!.Value).Order());
        Assert.Equal(2, Directory.GetFiles(app.PickupDirectory, "*.eml").Length);

        // Sunday and Monday before opening in Bangui: nothing more goes out.
        app.SetTime(Utc(2026, 6, 8, 6, 59, 59));
        Assert.Equal(new ScanResult(0, 0), await app.ScanAsync());

        app.SetTime(Utc(2026, 6, 8, 7));
        Assert.Equal(new ScanResult(0, 2), await app.ScanAsync());
        await app.DeliverQueuedAsync();
        Assert.All(await app.NotificationsAsync(q => q.Where(n => n.SubjectId == routineCf.Id)), n => Assert.Equal(NotificationStatus.Delivered, n.Status));
        Assert.All(await app.NotificationsAsync(q => q.Where(n => n.SubjectId == routineHt.Id)), n => Assert.Equal(NotificationStatus.Pending, n.Status));

        app.SetTime(Utc(2026, 6, 8, 12));
        Assert.Equal(new ScanResult(0, 2), await app.ScanAsync());
        await app.DeliverQueuedAsync();
        Assert.All(await app.NotificationsAsync(), n => Assert.Equal(NotificationStatus.Delivered, n.Status));
        Assert.All(await app.NotificationsAsync(), n => Assert.Equal(n.SubjectId == routineCf.Id || n.SubjectId == urgentCf.Id ? bangui.UserId : haiti.UserId, n.RecipientUserId));
    }

    [Fact]
    public async Task A_first_scan_over_years_old_deadlines_sends_one_backlog_digest_per_person_and_keeps_urgent_for_what_is_urgent()
    {
        // A new installation whose database already holds years of history (seeded, or restored from a backup).
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CF"], "Africa/Bangui");
        var coordinator = await app.StaffAsync(Roles.Coordinator, [], "UTC");
        var highRisk = await app.CaseAsync("CF", advocate.UserId, RiskLevel.High);
        var unassigned = await app.CaseAsync("CF");
        await app.FollowUpAsync(highRisk.Id, Utc(2018, 5, 1, 9));
        await app.FollowUpAsync(highRisk.Id, Utc(2019, 1, 7, 9));
        await app.FollowUpAsync(unassigned.Id, Utc(2018, 11, 5, 9));
        var recent = await app.FollowUpAsync(highRisk.Id, Utc(2026, 3, 2, 7));

        await app.ScanAsync();

        var planned = await app.NotificationsAsync();
        Assert.DoesNotContain(planned, n => n.Kind != NotificationKind.BacklogDigest && n.DueAtUtc < Utc(2026, 1, 1, 0));
        var digests = planned.Where(n => n.Kind == NotificationKind.BacklogDigest && n.Channel == NotificationChannel.InApp).ToDictionary(n => n.RecipientUserId);
        Assert.Equal(2, digests[advocate.UserId].ItemCount); // its two old checks
        Assert.Equal(4, digests[coordinator.UserId].ItemCount); // their escalations, and the unassigned case's check and escalation
        Assert.Equal(4, planned.Count(n => n.Kind == NotificationKind.BacklogDigest)); // in the portal and by e-mail, each
        Assert.All(planned.Where(n => n.Kind == NotificationKind.BacklogDigest), n => Assert.False(n.IsUrgent || n.IsEscalation));

        // The one deadline that fell due within the look-back is announced on its own, urgent because the case is high-risk.
        var urgent = planned.Where(n => n.IsUrgent).ToList();
        Assert.Equal(2, urgent.Count);
        Assert.All(urgent, n => Assert.Equal((NotificationKind.FollowUpDue, recent.Id, advocate.UserId), (n.Kind, n.SubjectId!.Value, n.RecipientUserId)));

        // The next scans of the day find the same old deadlines again (they were entered since the last scan) and add nothing.
        app.SetTime(Utc(2026, 3, 2, 8, 1));
        Assert.Equal(0, (await app.ScanAsync()).Planned);

        await app.DeliverQueuedAsync();
        var mails = Directory.GetFiles(app.PickupDirectory, "*.eml").Select(File.ReadAllText).ToList();
        Assert.Contains(mails, m => m.Contains("Backlog: 2 deadlines passed more than 7 days ago", StringComparison.Ordinal));
        Assert.Contains(mails, m => m.Contains("Backlog: 4 deadlines passed more than 7 days ago", StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_the_person_wrote_and_the_advocate_left_unread_for_a_working_day_is_reminded_in_working_hours_unless_read()
    {
        // Friday 6 March 2026, 15:00 UTC (16:00 in Bangui): the person adds something; one working day later is Monday 16:00 there.
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 6, 15, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CF"], "Africa/Bangui");
        var cases = new List<Case>();
        var submissions = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            cases.Add(await app.CaseAsync("CF", advocate.UserId));
            submissions.Add(await SubmissionAsync(app, cases[^1]));
        }

        var (unread, readEarly, readLate) = (cases[0], cases[1], cases[2]);
        await app.ScanAsync();
        await using (var db = app.NewContext())
        {
            foreach (var id in submissions)
            {
                (await db.IntakeSubmissions.SingleAsync(s => s.Id == id)).AddInformation("Il est revenu.", null, app.Clock);
            }

            await db.SaveChangesAsync();
        }

        app.SetTime(Utc(2026, 3, 9, 14, 59, 59));
        await app.ScanAsync();
        Assert.Empty(await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.PersonWroteUnread)));

        await ReadAsync(app, advocate, readEarly, submissions[1]);
        app.SetTime(Utc(2026, 3, 9, 15));
        await app.ScanAsync();
        var reminders = await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.PersonWroteUnread && n.Channel == NotificationChannel.InApp));
        Assert.Equal(
            new[] { unread.Id, readLate.Id }.Order(),
            reminders.Select(n => n.CaseId!.Value).Order());
        Assert.All(reminders, n => Assert.Equal((advocate.UserId, false, Utc(2026, 3, 9, 15)), (n.RecipientUserId, n.IsEscalation, n.DeliverAfterUtc)));

        // Read after the reminder was planned and before it went: it does not go.
        await ReadAsync(app, advocate, readLate, submissions[2]);
        await app.DeliverQueuedAsync();
        var outcome = (await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.PersonWroteUnread && n.Channel == NotificationChannel.InApp))).ToDictionary(n => n.CaseId!.Value);
        Assert.Equal(NotificationStatus.Delivered, outcome[unread.Id].Status);
        Assert.Equal((NotificationStatus.Skipped, NotificationSkipReason.NoLongerDue), (outcome[readLate.Id].Status, outcome[readLate.Id].SkipReason));
    }

    private static async Task ReadAsync(ReminderApp app, UserScope advocate, Case survivorCase, Guid submissionId)
    {
        await using var db = app.NewContext();
        var stored = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == survivorCase.Id);
        (await db.IntakeSubmissions.SingleAsync(s => s.Id == submissionId)).ReadBy(advocate.UserId, stored);
        await db.SaveChangesAsync();
    }

    private static async Task<Guid> SubmissionAsync(ReminderApp app, Case survivorCase)
    {
        await using var db = app.NewContext();
        var submission = Portal.Domain.Intake.IntakeSubmission.Receive(
            new Portal.Domain.Intake.IntakeDetails("fr", "CF", null, "Mon récit", [], [ContactChannel.None], null, null, Portal.Domain.Intake.ChildBornAnswer.No),
            app.Clock);
        submission.LinkToCase(survivorCase.Id);
        db.IntakeSubmissions.Add(submission);
        await db.SaveChangesAsync();
        return submission.Id;
    }

    [Fact]
    public async Task A_follow_up_left_open_past_the_grace_period_in_working_days_escalates_to_the_active_coordinators_only()
    {
        // Monday 2 March 2026. The check falls due at 10:00 in Bangui; two working days later is Wednesday 10:00 there.
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CF"], "Africa/Bangui");
        var coordinator = await app.StaffAsync(Roles.Coordinator, [], "UTC");
        await app.StaffAsync(Roles.Coordinator, [], "UTC", disabled: true);
        var survivorCase = await app.CaseAsync("CF", advocate.UserId);
        var followUp = await app.FollowUpAsync(survivorCase.Id, Utc(2026, 3, 2, 9));

        app.SetTime(Utc(2026, 3, 2, 9));
        await app.ScanAsync();
        var reminders = await app.NotificationsAsync();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, n => Assert.Equal((NotificationKind.FollowUpDue, advocate.UserId, false), (n.Kind, n.RecipientUserId, n.IsEscalation)));

        app.SetTime(Utc(2026, 3, 4, 8, 59, 59));
        Assert.Equal(0, (await app.ScanAsync()).Planned);

        app.SetTime(Utc(2026, 3, 4, 9));
        Assert.Equal(2, (await app.ScanAsync()).Planned);
        var escalations = await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.FollowUpOverdue));
        Assert.Equal([NotificationChannel.InApp, NotificationChannel.Email], escalations.Select(n => n.Channel).Order());
        Assert.All(escalations, n => Assert.Equal((coordinator.UserId, true, followUp.Id, Utc(2026, 3, 2, 9)), (n.RecipientUserId, n.IsEscalation, n.SubjectId!.Value, n.DueAtUtc)));
        await app.DeliverQueuedAsync();
        Assert.All(await app.NotificationsAsync(), n => Assert.Equal(NotificationStatus.Delivered, n.Status));
    }

    [Fact]
    public async Task A_due_follow_up_on_a_case_nobody_holds_escalates_to_the_coordinators_instead_of_reminding_nobody()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var coordinator = await app.StaffAsync(Roles.Coordinator, [], "UTC");
        var disabledAdvocate = await app.StaffAsync(Roles.Advocate, ["SS"], "Africa/Juba", disabled: true);
        var unassigned = await app.CaseAsync("SS");
        var heldByDisabled = await app.CaseAsync("SS", disabledAdvocate.UserId);
        await app.FollowUpAsync(unassigned.Id, Utc(2026, 3, 3, 8));
        await app.FollowUpAsync(heldByDisabled.Id, Utc(2026, 3, 3, 8));

        await app.ScanAsync();

        var planned = await app.NotificationsAsync();
        Assert.Equal(4, planned.Count);
        Assert.All(planned, n => Assert.Equal((coordinator.UserId, true, NotificationKind.FollowUpDue), (n.RecipientUserId, n.IsEscalation, n.Kind)));
    }

    [Fact]
    public async Task An_intake_nobody_claims_for_24_hours_escalates_and_one_claimed_before_delivery_is_not_sent()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 6, 15, 0, 0, TimeSpan.Zero)); // a Friday
        var coordinator = await app.StaffAsync(Roles.Coordinator, [], "UTC");
        var advocate = await app.StaffAsync(Roles.Advocate, ["CD"], "Africa/Kinshasa");
        var waiting = await app.CaseAsync("CD", risk: RiskLevel.High);
        var claimedLate = await app.CaseAsync("CD", risk: RiskLevel.High);

        app.SetTime(Utc(2026, 3, 7, 14, 59, 59)); // Saturday: calendar time counts, weekends included
        await app.ScanAsync();
        Assert.Empty(await app.NotificationsAsync());

        app.SetTime(Utc(2026, 3, 7, 15));
        var scan = await app.ScanAsync();
        Assert.Equal(new ScanResult(4, 4), scan); // high risk: urgent, so at once on a Saturday
        Assert.All(await app.NotificationsAsync(), n => Assert.Equal((NotificationKind.IntakeUnclaimed, coordinator.UserId, true), (n.Kind, n.RecipientUserId, n.IsEscalation)));

        await using (var db = app.NewContext(advocate.UserId))
        {
            var survivorCase = await db.Cases.FirstAsync(c => c.Id == claimedLate.Id);
            survivorCase.Claim(advocate.UserId, app.Clock);
            await db.SaveChangesAsync();
        }

        await app.DeliverQueuedAsync();
        var outcome = await app.NotificationsAsync();
        Assert.All(outcome.Where(n => n.CaseId == waiting.Id), n => Assert.Equal(NotificationStatus.Delivered, n.Status));
        Assert.All(outcome.Where(n => n.CaseId == claimedLate.Id), n => Assert.Equal((NotificationStatus.Skipped, NotificationSkipReason.NoLongerDue), (n.Status, n.SkipReason!.Value)));
    }

    [Fact]
    public async Task A_referral_not_accepted_by_its_deadline_is_reminded_to_the_advocate_and_later_escalated()
    {
        // Sent on Monday 2 March 2026 at 10:00 in Bangui: accepted within 3 working days means by Thursday 10:00 there.
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CF"], "Africa/Bangui");
        var coordinator = await app.StaffAsync(Roles.Coordinator, [], "UTC");
        var survivorCase = await app.CaseAsync("CF", advocate.UserId);
        Referral referral;
        await using (var db = app.NewContext(advocate.UserId))
        {
            var tracked = await db.Cases.FirstAsync(c => c.Id == survivorCase.Id);
            var provider = Provider.Create("CF", "Centre de santé", [ReferralType.Medical], ["fr"], "+236 000 000");
            tracked.RecordConsent(ConsentGiver.Person, forServices: true, forSharingNonIdentifyingData: true, [provider.Id], SharedField.None, null, advocate.UserId, app.Clock);
            referral = Referral.Create(tracked, ReferralType.Medical, provider, "Medical care", ReferralUrgency.Routine, advocate.UserId, app.Clock);
            var followUps = referral.Send(tracked, provider, ReminderPolicy.Default, advocate.UserId, app.Clock);
            db.AddRange(provider, referral);
            db.AddRange(followUps);
            await db.SaveChangesAsync();
        }

        Assert.Equal(Utc(2026, 3, 5, 9), referral.AcceptanceDueAtUtc);
        app.SetTime(Utc(2026, 3, 5, 9));
        await app.ScanAsync();
        var reminders = await app.NotificationsAsync();
        Assert.Equal(2, reminders.Count); // the referral's own acceptance check is not reminded a second time
        Assert.All(reminders, n => Assert.Equal((NotificationKind.ReferralNotAccepted, advocate.UserId, referral.Id, ReferralType.Medical), (n.Kind, n.RecipientUserId, n.SubjectId!.Value, n.ReferralType!.Value)));

        app.SetTime(Utc(2026, 3, 9, 9)); // two working days after Thursday 10:00 in Bangui
        await app.ScanAsync();
        var escalations = await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.ReferralNotAcceptedEscalation));
        Assert.Equal(2, escalations.Count);
        Assert.All(escalations, n => Assert.Equal(coordinator.UserId, n.RecipientUserId));
    }

    [Fact]
    public async Task Paternity_claims_without_movement_make_one_digest_a_week_for_each_coordinator()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2025, 8, 1, 9, 0, 0, TimeSpan.Zero));
        var coordinator = await app.StaffAsync(Roles.Coordinator, [], "UTC");
        var survivorCase = await app.CaseAsync("HT");
        await app.PaternityClaimAsync(survivorCase.Id);

        app.SetTime(Utc(2026, 3, 2, 9)); // Monday, more than 180 days later
        await app.ScanAsync();
        app.SetTime(Utc(2026, 3, 4, 9));
        await app.ScanAsync();
        var digests = await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.PaternityClaimsDigest));
        Assert.Equal(2, digests.Count);
        Assert.All(digests, n => Assert.Equal((coordinator.UserId, 1, Utc(2026, 3, 2, 0)), (n.RecipientUserId, n.ItemCount!.Value, n.DueAtUtc)));
        await app.DeliverQueuedAsync();
        var email = await File.ReadAllTextAsync(Directory.GetFiles(app.PickupDirectory, "*.eml").Single());
        Assert.Contains(survivorCase.Number, email, StringComparison.Ordinal);
        Assert.DoesNotContain("Member State 07", email, StringComparison.Ordinal);
        var status = ResourceFiles.Text("Portal/Resources/SharedResource", "Enum_PaternityClaimStatus_Intake", "en"); // the name every page shows
        Assert.Contains($"{survivorCase.Number}: {status}, ", (await MimeKit.MimeMessage.LoadAsync(Directory.GetFiles(app.PickupDirectory, "*.eml").Single())).TextBody, StringComparison.Ordinal);

        app.SetTime(Utc(2026, 3, 9, 9));
        await app.ScanAsync();
        Assert.Equal(4, (await app.NotificationsAsync(q => q.Where(n => n.Kind == NotificationKind.PaternityClaimsDigest))).Count);
    }

    [Fact]
    public async Task A_check_done_before_delivery_is_not_sent_and_a_snoozed_one_is_reminded_again_when_the_snooze_ends()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CD"], "Africa/Kinshasa");
        var survivorCase = await app.CaseAsync("CD", advocate.UserId);
        var done = await app.FollowUpAsync(survivorCase.Id, Utc(2026, 3, 3, 8, 30));
        var snoozed = await app.FollowUpAsync(survivorCase.Id, Utc(2026, 3, 3, 8, 45));
        await app.ScanAsync();
        await using (var db = app.NewContext(advocate.UserId))
        {
            (await db.FollowUps.FirstAsync(f => f.Id == done.Id)).Complete(advocate.UserId, app.Clock);
            await db.SaveChangesAsync();
        }

        await app.DeliverQueuedAsync();
        Assert.All(await app.NotificationsAsync(q => q.Where(n => n.SubjectId == done.Id)), n => Assert.Equal(NotificationStatus.Skipped, n.Status));
        var reminder = (await app.NotificationsAsync(q => q.Where(n => n.SubjectId == snoozed.Id && n.Channel == NotificationChannel.InApp))).Single();
        Assert.Equal(NotificationStatus.Delivered, reminder.Status);

        var service = ServicesAs.Create<NotificationService>(app.Services, new TestCurrentUser(advocate));
        Assert.Equal(1, await service.CountUnreadAsync());
        var refused = await service.SnoozeAsync(reminder.Id, Utc(2026, 3, 4, 9), "   ");
        Assert.Equal(Portal.Features.Shared.CommandOutcome.Refused, refused.Outcome);
        Assert.True((await service.SnoozeAsync(reminder.Id, Utc(2026, 3, 4, 9), "The clinic is closed until tomorrow")).Succeeded);
        Assert.Equal(0, await service.CountUnreadAsync());

        app.SetTime(Utc(2026, 3, 4, 8, 59));
        Assert.Equal(0, (await app.ScanAsync()).Planned);
        app.SetTime(Utc(2026, 3, 4, 9));
        await app.ScanAsync();
        var again = await app.NotificationsAsync(q => q.Where(n => n.SubjectId == snoozed.Id && n.DueAtUtc == Utc(2026, 3, 4, 9)));
        Assert.Equal(2, again.Count);
    }

    [Fact]
    public async Task Staff_see_and_snooze_only_their_own_notifications()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var owner = await app.StaffAsync(Roles.Advocate, ["CD"], "Africa/Kinshasa");
        var other = await app.StaffAsync(Roles.Advocate, ["CD"], "Africa/Kinshasa");
        var survivorCase = await app.CaseAsync("CD", owner.UserId);
        await app.FollowUpAsync(survivorCase.Id, Utc(2026, 3, 3, 8, 30));
        await app.ScanAsync();
        await app.DeliverQueuedAsync();
        var id = (await app.NotificationsAsync(q => q.Where(n => n.Channel == NotificationChannel.InApp))).Single().Id;

        var intruder = ServicesAs.Create<NotificationService>(app.Services, new TestCurrentUser(other));
        Assert.Empty(await intruder.ListAsync(unreadOnly: false, null, 50));
        Assert.Equal(Portal.Features.Shared.CommandOutcome.NotFound, (await intruder.MarkReadAsync(id)).Outcome);
        Assert.Equal(Portal.Features.Shared.CommandOutcome.NotFound, (await intruder.SnoozeAsync(id, Utc(2026, 3, 5, 9), "not mine")).Outcome);

        var mine = ServicesAs.Create<NotificationService>(app.Services, new TestCurrentUser(owner));
        var listed = Assert.Single(await mine.ListAsync(unreadOnly: true, null, 50));
        Assert.Equal((survivorCase.Number, true), (listed.CaseNumber, listed.CanSnooze));
        Assert.True((await mine.MarkReadAsync(id)).Succeeded);
        Assert.Empty(await mine.ListAsync(unreadOnly: true, null, 50));
    }

    [Fact]
    public async Task What_was_sent_shows_in_the_case_timeline()
    {
        await using var app = new ReminderApp(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var advocate = await app.StaffAsync(Roles.Advocate, ["CD"], "Africa/Kinshasa");
        var survivorCase = await app.CaseAsync("CD", advocate.UserId);
        await app.FollowUpAsync(survivorCase.Id, Utc(2026, 3, 3, 8, 30));
        await app.ScanAsync();
        await app.DeliverQueuedAsync();

        var cases = ServicesAs.Create<Portal.Features.Cases.CaseService>(app.Services, new TestCurrentUser(advocate));
        var timeline = await cases.GetTimelineAsync(advocate, survivorCase.Id);

        var sent = timeline!.Entries.Where(t => t.Kind == Portal.Features.Cases.TimelineKind.Notification).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Contains(sent, t => t.Title.Contains("e-mail", StringComparison.Ordinal) && t.Title.Contains(nameof(FollowUpKind.MedicalCheck), StringComparison.Ordinal));
    }
}
