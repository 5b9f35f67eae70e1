using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Intake;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Features.Intake;
using Portal.Features.Queues;
using Portal.Features.Requests;
using Portal.Features.Shared;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Requests;

/// <summary>The person's words in the case and the messages to them: what staff see, who may, and that every look is recorded.</summary>
public sealed class RequestServiceTests : IClassFixture<TestDatabase>
{
    private const string Phone = "+243 81 000 0042";
    private const string MorningOnly = "le matin avant 9h";
    private const string AfterFive = "appelez-moi après 17h";

    private readonly CaseWorld _world;

    public RequestServiceTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task The_cases_advocate_reads_the_request_in_the_order_received_without_contact_details_and_each_look_is_audited()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var (caseId, submissionId) = await SubmitAsync();
        Assert.True((await _world.CasesFor(advocate).ClaimAsync(advocate, caseId)).Succeeded);
        await AddAsync(submissionId, "Il est revenu hier soir.", AfterFive);

        var (result, view) = await RequestsFor(advocate).GetAsync(advocate, caseId);

        Assert.True(result.Succeeded, result.Message);
        var request = Assert.Single(view!.Requests);
        Assert.Equal(("fr", "CD", "Bunia, quartier Lumumba", ChildBornAnswer.Yes, true), (request.Language, request.CountryAnswer, request.Area, request.ChildBorn, request.GaveContactDetails));
        Assert.Equal(
            [new RequestedHelp(HelpKind.Medical, ReferralType.Medical), new RequestedHelp(HelpKind.Safety, ReferralType.SafetyAndProtection), new RequestedHelp(HelpKind.Other, null)],
            request.Help);
        Assert.Equal([ThreadEntryKind.Account, ThreadEntryKind.Addition], view.Thread.Select(e => e.Kind));
        Assert.Equal(["Un soldat m'a fait du mal. J'ai besoin d'un médecin.", "Il est revenu hier soir."], view.Thread.Select(e => e.Text));
        Assert.True(view.Thread[1].SafeTimesChanged);
        Assert.NotNull(view.UnreadSinceUtc);

        // Contact details and safe times are shown only with the identity, on its audited reveal.
        var shown = JsonSerializer.Serialize(view);
        Assert.DoesNotContain("81 000", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("9h", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("17h", shown, StringComparison.Ordinal);

        await RequestsFor(advocate).GetAsync(advocate, caseId);
        Assert.Equal(2, await AuditCountAsync(caseId, AuditAction.ViewedRequest, advocate));
    }

    [Fact]
    public async Task Reading_clears_the_unread_mark_for_the_cases_advocate_but_not_when_a_coordinator_looks_in()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var (caseId, submissionId) = await SubmitAsync();
        await _world.CasesFor(advocate).ClaimAsync(advocate, caseId);
        await AddAsync(submissionId, "Encore une chose.", null);

        Assert.True(await UnreadInMyCasesAsync(advocate, caseId));
        await using (var db = _world.Database.NewContext())
        {
            // The bell: an in-app notification to the case's advocate about this case, delivered already when the
            // person's addition returns, not at a job worker's next poll.
            Assert.True(await db.Notifications.AnyAsync(n => n.Kind == NotificationKind.PersonWrote && n.RecipientUserId == advocate.UserId && n.CaseId == caseId
                && n.Status == NotificationStatus.Delivered));
        }

        Assert.True((await RequestsFor(coordinator).MarkReadAsync(coordinator, caseId)).Succeeded);
        Assert.True(await UnreadInMyCasesAsync(advocate, caseId));

        var events = new List<LiveEvent>();
        using var subscription = _world.LiveEvents.Subscribe(e => e.CaseId == caseId, e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        });
        Assert.True((await RequestsFor(advocate).MarkReadAsync(advocate, caseId)).Succeeded);
        Assert.False(await UnreadInMyCasesAsync(advocate, caseId));
        await Eventually.TrueAsync(() => { lock (events) { return events.Any(e => e.Kind == LiveEventKind.PersonWordsRead); } }, TimeSpan.FromSeconds(10), () => "The queues were not told.");
    }

    [Fact]
    public async Task A_later_safe_time_replaces_the_earlier_one_in_the_identity_and_the_reveal_says_when_and_how()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var (caseId, submissionId) = await SubmitAsync();
        await _world.CasesFor(advocate).ClaimAsync(advocate, caseId);
        Assert.Null((await _world.CasesFor(advocate).GetWorkspaceAsync(advocate, await NumberAsync(caseId)))!.ContactChangedByPersonAtUtc);

        await AddAsync(submissionId, null, AfterFive);

        var (reveal, identity) = await _world.CasesFor(advocate).RevealIdentityAsync(advocate, caseId, "to call her back safely");
        Assert.True(reveal.Succeeded);
        Assert.Equal(AfterFive, identity!.Details.SafeContactTimes);
        Assert.Equal(Phone, identity.Details.Phone);
        Assert.Equal([(null, MorningOnly), (1, AfterFive)], identity.SafeTimesHistory.Select(c => (c.Addition, c.SafeTimes)));
        Assert.NotNull((await _world.CasesFor(advocate).GetWorkspaceAsync(advocate, await NumberAsync(caseId)))!.ContactChangedByPersonAtUtc);
    }

    [Fact]
    public async Task A_message_reaches_the_status_thread_signed_by_a_first_name_at_most_and_the_advocate_sees_it_read()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var (caseId, submissionId) = await SubmitAsync();
        await _world.CasesFor(advocate).ClaimAsync(advocate, caseId);
        var requests = RequestsFor(advocate);

        var empty = await requests.SendMessageAsync(advocate, caseId, "  ", signWithFirstName: true);
        Assert.NotNull(R(empty, "Message"));
        Assert.True((await requests.SendMessageAsync(advocate, caseId, "Bonjour, je vous appellerai après 17h.", signWithFirstName: true)).Succeeded);
        Assert.True((await requests.SendMessageAsync(advocate, caseId, "Avez-vous pu voir le médecin ?", signWithFirstName: false)).Succeeded);
        var (_, before) = await requests.GetAsync(advocate, caseId);
        Assert.All(before!.Thread.Where(e => e.Kind == ThreadEntryKind.Message), m => Assert.Null(m.ReadAtUtc));

        StatusView? status;
        using (var scope = _world.Database.Services.CreateScope())
        {
            status = await scope.ServiceProvider.GetRequiredService<IntakeService>().GetStatusAsync(submissionId, CancellationToken.None);
        }

        var fromOffice = status!.Messages.Where(m => m.Kind == StatusMessageKind.FromOffice).ToList();
        Assert.Equal(["Bonjour, je vous appellerai après 17h.", "Avez-vous pu voir le médecin ?"], fromOffice.Select(m => m.Text));
        Assert.Equal([advocate.DisplayName.Split(' ')[0], null], fromOffice.Select(m => m.Signature));
        Assert.Equal(StatusMessageKind.Account, status.Messages[0].Kind);
        Assert.Equal(status.Messages.OrderBy(m => m.At), status.Messages); // newest last

        var (_, after) = await requests.GetAsync(advocate, caseId);
        Assert.All(after!.Thread.Where(e => e.Kind == ThreadEntryKind.Message), m => Assert.NotNull(m.ReadAtUtc));
    }

    [Fact]
    public async Task Another_countrys_advocate_can_neither_read_nor_write_nor_hear_and_each_attempt_is_audited()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var colleague = await _world.StaffAsync(Roles.Advocate, "CD");
        var outsider = await _world.StaffAsync(Roles.Advocate, "HT");
        var (caseId, submissionId) = await SubmitAsync();
        await _world.CasesFor(advocate).ClaimAsync(advocate, caseId);
        await RequestsFor(advocate).SendMessageAsync(advocate, caseId, "Bonjour.", signWithFirstName: false);

        var heard = new List<LiveEvent>();
        using (_world.Database.Service<ILiveEvents>().SubscribeFor(outsider, _ => true, e =>
        {
            lock (heard)
            {
                heard.Add(e);
            }

            return Task.CompletedTask;
        }))
        {
            var (read, view) = await RequestsFor(outsider).GetAsync(outsider, caseId);
            var marked = await RequestsFor(outsider).MarkReadAsync(outsider, caseId);
            var sent = await RequestsFor(outsider).SendMessageAsync(outsider, caseId, "Je ne devrais pas pouvoir écrire ceci.", signWithFirstName: false);
            await AddAsync(submissionId, "Une autre chose.", null);

            Assert.Equal((CommandOutcome.NotFound, CommandOutcome.NotFound, CommandOutcome.NotFound), (read.Outcome, marked.Outcome, sent.Outcome));
            Assert.Null(view);
        }

        // In the same country but not the case's advocate: refused, and recorded too.
        var (refused, hidden) = await RequestsFor(colleague).GetAsync(colleague, caseId);
        Assert.Equal(CommandOutcome.Forbidden, refused.Outcome);
        Assert.Null(hidden);

        Assert.Equal(3, await AuditCountAsync(caseId, AuditAction.AccessDenied, outsider));
        Assert.Equal(1, await AuditCountAsync(caseId, AuditAction.AccessDenied, colleague));
        Assert.Equal(0, await AuditCountAsync(caseId, AuditAction.ViewedRequest, outsider) + await AuditCountAsync(caseId, AuditAction.ViewedRequest, colleague));
        await using var db = _world.Database.NewContext();
        Assert.Equal(1, await db.PersonMessages.CountAsync(m => m.CaseId == caseId));
        lock (heard)
        {
            Assert.DoesNotContain(heard, e => e.CaseId == caseId);
        }
    }

    private RequestService RequestsFor(UserScope scope) =>
        new(_world.Database.Contexts, _world.ScopeFor(scope), _world.PathFor(scope), _world.AuditFor(scope), _world.Clock);

    private static string? R(CommandResult result, string field) => result.Fields.TryGetValue(field, out var problem) ? problem.Message : null;

    private async Task<(Guid CaseId, Guid SubmissionId)> SubmitAsync()
    {
        using var scope = _world.Database.Services.CreateScope();
        var intake = scope.ServiceProvider.GetRequiredService<IntakeService>();
        var sent = await intake.SubmitAsync(
            new IntakeRequest(
                "Un soldat m'a fait du mal. J'ai besoin d'un médecin.",
                [HelpKind.Medical, HelpKind.Safety, HelpKind.Other],
                "CD",
                "Bunia, quartier Lumumba",
                ChildBornAnswer.Yes,
                new ContactDetails(Phone, null, null, null, false, MorningOnly),
                "fr"),
            null,
            CancellationToken.None);
        await using var db = _world.Database.NewContext();
        var submission = await db.IntakeSubmissions.AsNoTracking().SingleAsync(s => s.ReferenceCode == sent.Receipt!.ReferenceCode);
        return (submission.CaseId!.Value, submission.Id);
    }

    private async Task AddAsync(Guid submissionId, string? text, string? safeTimes)
    {
        using var scope = _world.Database.Services.CreateScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<IntakeService>().AddInformationAsync(submissionId, text, safeTimes, CancellationToken.None));
    }

    private async Task<string> NumberAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        return await db.Cases.Where(c => c.Id == caseId).Select(c => c.Number).SingleAsync();
    }

    private async Task<bool> UnreadInMyCasesAsync(UserScope advocate, Guid caseId)
    {
        var page = await _world.Queues.GetPageAsync(advocate, new QueueRequest(QueueKind.MyCases, QueueFilter.None, PageSize: 100));
        return Assert.Single(page.Rows, r => r.CaseId == caseId).UnreadFromPerson;
    }

    private async Task<int> AuditCountAsync(Guid caseId, AuditAction action, UserScope who)
    {
        await using var db = _world.Database.NewContext();
        return await db.AuditEntries.CountAsync(e => e.RecordId == caseId.ToString() && e.Action == action && e.UserId == who.UserId);
    }
}
