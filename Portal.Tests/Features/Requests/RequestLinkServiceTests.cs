using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Intake;
using Portal.Features.Cases;
using Portal.Features.Intake;
using Portal.Features.Requests;
using Portal.Features.Shared;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Requests;

/// <summary>
/// A person who lost their passphrase sends a new request; the advocate links it into the person's case. What moves, how
/// it is sealed afterwards, which code still opens the thread, and every refusal.
/// </summary>
public sealed class RequestLinkServiceTests : IClassFixture<TestDatabase>
{
    private const string FirstAccount = "Un soldat m'a fait du mal. J'ai besoin d'un médecin.";
    private const string SecondAccount = "J'ai perdu ma phrase secrète. C'est encore moi, pour le médecin.";
    private const string NewPhone = "+243 81 000 0077";

    private readonly CaseWorld _world;

    public RequestLinkServiceTests(TestDatabase database) => _world = new CaseWorld(database);

    [Fact]
    public async Task Linking_moves_the_second_request_its_additions_and_messages_sealed_with_this_cases_key_and_closes_the_other_case()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var first = await SubmitAsync("CD", FirstAccount, new ContactDetails("+243 81 000 0042", null, null, null, false, "le matin avant 9h"));
        var second = await SubmitAsync("CD", SecondAccount, new ContactDetails(NewPhone, null, null, null, false, "après 17h"));
        await _world.CasesFor(advocate).ClaimAsync(advocate, first.CaseId);
        await _world.CasesFor(advocate).ClaimAsync(advocate, second.CaseId);
        await AddAsync(second.SubmissionId, "Je suis à Bunia cette semaine.");
        Assert.True((await RequestsFor(advocate).SendMessageAsync(advocate, second.CaseId, "Bonjour, nous avons bien reçu votre demande.", signWithFirstName: false)).Succeeded);
        var otherKey = await KeyIdAsync(second.CaseId);

        var events = new List<LiveEvent>();
        using var subscription = _world.LiveEvents.Subscribe(_ => true, e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        });

        // Typed as read out on the phone: lower case, spaces.
        var typed = second.ReferenceCode.ToLowerInvariant().Replace('-', ' ');
        var linked = await RequestsFor(advocate).LinkAsync(advocate, first.CaseId, typed);

        Assert.True(linked.Succeeded, linked.Message);

        // Every moved field is sealed again with this case's key, none any longer with the other case's.
        var thisKey = await KeyIdAsync(first.CaseId);
        var stored = new[]
        {
            await StoredAsync("""SELECT "WhatHappened" FROM "IntakeSubmissions" WHERE "Id" = @id""", second.SubmissionId),
            await StoredAsync("""SELECT "ContactDetails" FROM "IntakeSubmissions" WHERE "Id" = @id""", second.SubmissionId),
            await StoredAsync("""SELECT "SafeTimes" FROM "IntakeSubmissions" WHERE "Id" = @id""", second.SubmissionId),
            await StoredAsync("""SELECT "Text" FROM "IntakeAdditions" WHERE "IntakeSubmissionId" = @id""", second.SubmissionId),
            await StoredAsync("""SELECT "Text" FROM "PersonMessages" WHERE "CaseId" = @id""", first.CaseId),
        };
        Assert.All(stored, s => Assert.Equal(thisKey, SealedWith(s)));
        Assert.NotEqual(otherKey, thisKey);

        // The Request tab shows both requests in the order received, each with its words, and the messages.
        var (read, view) = await RequestsFor(advocate).GetAsync(advocate, first.CaseId);
        Assert.True(read.Succeeded, read.Message);
        Assert.Equal([(first.ReferenceCode, null), (second.ReferenceCode, await NumberAsync(second.CaseId))], view!.Requests.Select(r => (r.ReferenceCode, r.LinkedFromCase)));
        Assert.Equal(
            [(ThreadEntryKind.Account, FirstAccount), (ThreadEntryKind.Account, SecondAccount), (ThreadEntryKind.Addition, "Je suis à Bunia cette semaine."), (ThreadEntryKind.Message, "Bonjour, nous avons bien reçu votre demande.")],
            view.Thread.Select(e => (e.Kind, e.Text)));

        // The other case is closed as a duplicate of this one and keeps nothing of the person's.
        await using (var db = _world.Database.NewContext())
        {
            var other = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == second.CaseId);
            Assert.Equal((CaseStatus.Closed, CaseClosureReason.Duplicate), (other.Status, other.ClosureReason));
            Assert.False(await db.IntakeSubmissions.AnyAsync(s => s.CaseId == second.CaseId));
            Assert.False(await db.PersonMessages.AnyAsync(m => m.CaseId == second.CaseId));
            Assert.False(await db.IdentityRecords.AnyAsync(i => i.CaseId == second.CaseId));
        }

        // The newer request's contact details are the case's now: the latest instruction wins.
        var (revealed, identity) = await _world.CasesFor(advocate).RevealIdentityAsync(advocate, first.CaseId, "to call her back safely");
        Assert.True(revealed.Succeeded);
        Assert.Equal((NewPhone, "après 17h"), (identity!.Details.Phone, identity.Details.SafeContactTimes));

        // Both timelines say what happened, and the link is in the trail of both cases, with who did it.
        var firstNumber = await NumberAsync(first.CaseId);
        var secondNumber = await NumberAsync(second.CaseId);
        var here = Assert.Single((await _world.CasesFor(advocate).GetTimelineAsync(advocate, first.CaseId))!.Entries, e => e.Kind == TimelineKind.RequestLinked);
        Assert.Equal((secondNumber, false, advocate.UserId), (here.LinkedCase, here.LinkedInto, here.ByUserId));
        var there = Assert.Single((await _world.CasesFor(advocate).GetTimelineAsync(advocate, second.CaseId))!.Entries, e => e.Kind == TimelineKind.RequestLinked);
        Assert.Equal((firstNumber, true, advocate.UserId), (there.LinkedCase, there.LinkedInto, there.ByUserId));
        Assert.Equal(1, await AuditCountAsync(first.CaseId, AuditAction.RequestLinked, advocate));
        Assert.Equal(1, await AuditCountAsync(second.CaseId, AuditAction.RequestLinked, advocate));

        // Open pages and queues of both cases are told.
        await Eventually.TrueAsync(
            () =>
            {
                lock (events)
                {
                    return events.Any(e => e.CaseId == first.CaseId && e.Kind == LiveEventKind.CaseChanged)
                        && events.Any(e => e.CaseId == second.CaseId && e.Kind == LiveEventKind.CaseStatusChanged);
                }
            },
            TimeSpan.FromSeconds(10),
            () => "The pages of the two cases were not told.");
    }

    [Fact]
    public async Task The_newer_code_opens_the_thread_of_the_case_and_the_older_code_whose_passphrase_was_lost_opens_nothing()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var first = await SubmitAsync("CD", FirstAccount);
        var second = await SubmitAsync("CD", SecondAccount);
        await _world.CasesFor(advocate).ClaimAsync(advocate, first.CaseId);
        Assert.NotNull(await StatusAsync(first.ReferenceCode, first.Passphrase));
        Assert.True((await RequestsFor(advocate).LinkAsync(advocate, first.CaseId, await NumberAsync(second.CaseId))).Succeeded);
        Assert.True((await RequestsFor(advocate).SendMessageAsync(advocate, first.CaseId, "Je vous appelle demain.", signWithFirstName: false)).Succeeded);

        var status = await StatusAsync(second.ReferenceCode, second.Passphrase);
        Assert.NotNull(status);
        Assert.Equal(PublicStatus.AdvocateAssigned, status.Status);
        Assert.Equal(
            [(StatusMessageKind.Account, FirstAccount), (StatusMessageKind.Account, SecondAccount), (StatusMessageKind.FromOffice, "Je vous appelle demain.")],
            status.Messages.Select(m => (m.Kind, m.Text)));

        // Whoever holds the lost passphrase sees nothing of the thread, and can add nothing to it.
        Assert.Null(await StatusAsync(first.ReferenceCode, first.Passphrase));
        using var scope = _world.Database.Services.CreateScope();
        var intake = scope.ServiceProvider.GetRequiredService<IntakeService>();
        Assert.Null(await intake.GetStatusAsync(first.SubmissionId, CancellationToken.None));
        Assert.False(await intake.AddInformationAsync(first.SubmissionId, "Quelqu'un d'autre écrit.", null, CancellationToken.None));
        Assert.Null(await StatusAsync(second.ReferenceCode, first.Passphrase));
    }

    [Fact]
    public async Task A_request_outside_the_users_countries_answers_as_not_found_and_the_look_is_audited()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var first = await SubmitAsync("CD", FirstAccount);
        var haiti = await SubmitAsync("HT", SecondAccount);
        await _world.CasesFor(advocate).ClaimAsync(advocate, first.CaseId);

        var byCode = await RequestsFor(advocate).LinkAsync(advocate, first.CaseId, haiti.ReferenceCode);
        var byNumber = await RequestsFor(advocate).LinkAsync(advocate, first.CaseId, await NumberAsync(haiti.CaseId));
        var unknown = await RequestsFor(advocate).LinkAsync(advocate, first.CaseId, "AAAA-BBBB-CCCC");

        Assert.All([byCode, byNumber, unknown], r => Assert.Equal(ErrorCodes.RequestLinkNotFound, Problem(r)));
        Assert.Equal(2, await AuditCountAsync(haiti.CaseId, AuditAction.AccessDenied, advocate));
        await using var db = _world.Database.NewContext();
        Assert.Equal(CaseStatus.Intake, (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == haiti.CaseId)).Status);
        Assert.True(await db.IntakeSubmissions.AnyAsync(s => s.Id == haiti.SubmissionId && s.CaseId == haiti.CaseId));
    }

    [Fact]
    public async Task Linking_is_refused_with_a_clear_reason_and_changes_nothing()
    {
        var advocate = await _world.StaffAsync(Roles.Advocate, "CD");
        var colleague = await _world.StaffAsync(Roles.Advocate, "CD");
        var coordinator = await _world.StaffAsync(Roles.Coordinator);
        var first = await SubmitAsync("CD", FirstAccount);
        await _world.CasesFor(advocate).ClaimAsync(advocate, first.CaseId);
        var requests = RequestsFor(advocate);

        Assert.Equal(ErrorCodes.Required, Problem(await requests.LinkAsync(advocate, first.CaseId, "  ")));
        Assert.Equal(ErrorCodes.RequestLinkSameCase, (await requests.LinkAsync(advocate, first.CaseId, first.ReferenceCode)).Code);

        // A coordinator sees every country, and is told why a case of another country cannot be linked.
        var haiti = await SubmitAsync("HT", SecondAccount);
        Assert.Equal(ErrorCodes.RequestLinkOtherCountry, (await RequestsFor(coordinator).LinkAsync(coordinator, first.CaseId, haiti.ReferenceCode)).Code);

        var withWork = await SubmitAsync("CD", SecondAccount);
        await using (var db = _world.Database.NewContext())
        {
            db.FollowUps.Add(FollowUp.CreateManual(withWork.CaseId, null, FollowUpKind.MedicalCheck, null, DateTime.UtcNow.AddDays(3), isUrgent: false));
            await db.SaveChangesAsync();
        }

        Assert.Equal(ErrorCodes.RequestLinkCaseHasWork, (await requests.LinkAsync(advocate, first.CaseId, withWork.ReferenceCode)).Code);

        var held = await SubmitAsync("CD", SecondAccount);
        await _world.CasesFor(colleague).ClaimAsync(colleague, held.CaseId);
        Assert.Equal(ErrorCodes.RequestLinkCaseHeld, (await requests.LinkAsync(advocate, first.CaseId, held.ReferenceCode)).Code);

        // Linked once, the other case answers "already linked" by its number, and its code is in this case already.
        var second = await SubmitAsync("CD", SecondAccount);
        Assert.True((await requests.LinkAsync(advocate, first.CaseId, second.ReferenceCode)).Succeeded);
        Assert.Equal(ErrorCodes.RequestAlreadyLinked, (await requests.LinkAsync(advocate, first.CaseId, await NumberAsync(second.CaseId))).Code);
        Assert.Equal(ErrorCodes.RequestLinkSameCase, (await requests.LinkAsync(advocate, first.CaseId, second.ReferenceCode)).Code);

        // Only the case's advocate or a coordinator links into it; anyone else is refused, and the attempt recorded.
        var third = await SubmitAsync("CD", SecondAccount);
        Assert.Equal(CommandOutcome.Forbidden, (await RequestsFor(colleague).LinkAsync(colleague, first.CaseId, third.ReferenceCode)).Outcome);
        Assert.Equal(1, await AuditCountAsync(first.CaseId, AuditAction.AccessDenied, colleague));

        await using var check = _world.Database.NewContext();
        Assert.Equal(
            [CaseStatus.Intake, CaseStatus.Assessment, CaseStatus.Intake],
            await check.Cases.AsNoTracking().Where(c => c.Id == withWork.CaseId || c.Id == held.CaseId || c.Id == third.CaseId).OrderBy(c => c.Number).Select(c => c.Status).ToListAsync());
        Assert.Equal(2, await check.IntakeSubmissions.CountAsync(s => s.CaseId == first.CaseId));
    }

    private RequestService RequestsFor(UserScope scope) =>
        new(_world.Database.Contexts, _world.ScopeFor(scope), _world.PathFor(scope), _world.AuditFor(scope), _world.Clock);

    private static string? Problem(CommandResult result) => result.Fields.TryGetValue("Other", out var problem) ? problem.Code : null;

    private sealed record Sent(Guid CaseId, Guid SubmissionId, string ReferenceCode, string Passphrase);

    private async Task<Sent> SubmitAsync(string country, string account, ContactDetails? contact = null)
    {
        using var scope = _world.Database.Services.CreateScope();
        var sent = await scope.ServiceProvider.GetRequiredService<IntakeService>().SubmitAsync(
            new IntakeRequest(account, [HelpKind.Medical], country, null, ChildBornAnswer.No, contact ?? new ContactDetails(null, null, null, null, false, null), "fr"),
            null,
            CancellationToken.None);
        await using var db = _world.Database.NewContext();
        var submission = await db.IntakeSubmissions.AsNoTracking().SingleAsync(s => s.ReferenceCode == sent.Receipt!.ReferenceCode);
        return new Sent(submission.CaseId!.Value, submission.Id, submission.ReferenceCode, sent.Receipt!.Passphrase);
    }

    private async Task AddAsync(Guid submissionId, string text)
    {
        using var scope = _world.Database.Services.CreateScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<IntakeService>().AddInformationAsync(submissionId, text, null, CancellationToken.None));
    }

    private async Task<StatusView?> StatusAsync(string code, string passphrase)
    {
        using var scope = _world.Database.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IntakeService>().CheckStatusAsync(code, passphrase, CancellationToken.None);
    }

    private async Task<string> NumberAsync(Guid caseId)
    {
        await using var db = _world.Database.NewContext();
        return await db.Cases.Where(c => c.Id == caseId).Select(c => c.Number).SingleAsync();
    }

    private async Task<Guid> KeyIdAsync(Guid caseId) =>
        Guid.Parse(Assert.Single(await _world.Database.QueryAsync("""SELECT "Id" FROM "CaseKeys" WHERE "CaseId" = @id""", ("@id", _world.Database.Id(caseId))))!.ToString()!);

    private async Task<string> StoredAsync(string sql, Guid id) =>
        Assert.IsType<string>(Assert.Single(await _world.Database.QueryAsync(sql, ("@id", _world.Database.Id(id)))));

    /// <summary>The case key a stored value names (its header, which the AES-GCM tag also covers: no other key opens it).</summary>
    private static Guid SealedWith(string stored) => new(Convert.FromBase64String(stored).AsSpan(1, 16));

    private async Task<int> AuditCountAsync(Guid caseId, AuditAction action, UserScope who)
    {
        await using var db = _world.Database.NewContext();
        return await db.AuditEntries.CountAsync(e => e.RecordId == caseId.ToString() && e.Action == action && e.UserId == who.UserId);
    }
}
