using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.ProviderDesk;

/// <summary>One referral in a provider's list: the referral's own facts, nothing of the person.</summary>
public sealed record DeskRow(
    Guid Id, string Reference, ReferralType Type, ReferralUrgency Urgency, ReferralStatus Status, DateTime? SentAtUtc, DateTime? AcceptanceDueAtUtc, DateTime? AppointmentAtUtc);

/// <summary>One referral as its provider reads it, with the steps they may take and the version they saw.</summary>
public sealed record DeskReferral(ProviderCopy Copy, string ProviderName, IReadOnlySet<ReferralAction> Actions, Seen<Referral> Seen);

/// <summary>
/// The provider desk: what a provider's user reads of the referrals addressed to their organisation, always through
/// <see cref="ProviderCopy"/>, and nothing for anyone else. Each referral opened is audited with the fields read. Their
/// answers go through <see cref="Referrals.ReferralService.TakeStepAsync"/>, the command path every referral step takes.
/// </summary>
public sealed class ProviderDeskService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, CaseScope cases, IAuditLog audit, ReferralLetter letter)
{
    public const string RecordType = "ProviderDesk";

    /// <summary>How many answered referrals (declined, completed, withdrawn) the list keeps under the open ones.</summary>
    public const int AnsweredShown = 50;

    /// <summary>What a provider answers; the advocate's own steps (sending, withdrawing) are not theirs.</summary>
    private static readonly ReferralAction[] ProviderSteps = [ReferralAction.Accept, ReferralAction.Schedule, ReferralAction.Decline, ReferralAction.Complete];

    public async Task<IReadOnlyList<DeskRow>> ListAsync(UserScope scope, CancellationToken cancellationToken = default)
    {
        if (scope.ProviderId is not { } providerId || !scope.IsProvider || !await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = db.Referrals.AsNoTracking().Where(r => r.ProviderId == providerId && r.Status != ReferralStatus.Draft && r.SentAtUtc != null);
        var open = (await mine.Where(ReferralRules.Open.Expression).Select(Row).ToListAsync(cancellationToken)).Select(ToRow);
        var answered = (await mine.Where(r => r.Status == ReferralStatus.Declined || r.Status == ReferralStatus.Completed || r.Status == ReferralStatus.Withdrawn)
            .OrderByDescending(r => r.SentAtUtc).Take(AnsweredShown).Select(Row).ToListAsync(cancellationToken)).Select(ToRow);

        // What waits for an answer first, the most urgent and oldest first; then what is under way, by appointment.
        return [
            .. open.OrderBy(r => r.Status == ReferralStatus.Sent ? 0 : 1).ThenByDescending(r => r.Urgency).ThenBy(r => r.AppointmentAtUtc ?? DateTime.MaxValue).ThenBy(r => r.SentAtUtc),
            .. answered,
        ];
    }

    /// <summary>The referral as its provider may read it, or null when it is not theirs (audited) or the session has ended.</summary>
    public async Task<DeskReferral?> GetAsync(UserScope scope, Guid referralId, CancellationToken cancellationToken = default)
    {
        if (!await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.Id == referralId, cancellationToken);
        if (referral is null || scope.ProviderId is not { } providerId || !scope.IsProvider || !ProviderCopy.IsFor(referral, providerId))
        {
            if (referral is not null)
            {
                await audit.RecordAsync(AuditAction.AccessDenied, Records.Referral.Type, referralId.ToString(), "not addressed to the viewer's provider", cancellationToken);
            }

            return null;
        }

        var survivorCase = await db.Cases.AsNoTracking().FirstAsync(c => c.Id == referral.CaseId, cancellationToken);
        var copy = await CopyAsync(db, referral, survivorCase, cancellationToken);
        var providerName = await db.ServiceProviders.Where(p => p.Id == providerId).Select(p => p.Name).FirstAsync(cancellationToken);
        await audit.RecordAsync(AuditAction.ViewedReferral, Records.Referral.Type, referralId.ToString(), $"fields: {copy.Shared}", cancellationToken);

        var actions = survivorCase.IsClosed ? [] : referral.AvailableActions().Intersect(ProviderSteps).ToHashSet();
        return new DeskReferral(copy, providerName, actions, Seen.Of(referral));
    }

    /// <summary>
    /// The referral letter as PDF, in the provider's language: for the provider's own users, or for the case's staff who
    /// print it for a provider that does not answer in the portal. The same provider copy either way; audited.
    /// </summary>
    public async Task<DownloadFile?> LetterAsync(UserScope scope, Guid referralId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.Id == referralId, cancellationToken);
        if (referral is null || referral.SentAtUtc is null)
        {
            return null;
        }

        Case? survivorCase;
        if (scope.IsProvider)
        {
            if (!ProviderCopy.IsFor(referral, scope.ProviderId!.Value) || !await cases.SessionOpenAsync(scope, RecordType, cancellationToken))
            {
                await audit.RecordAsync(AuditAction.AccessDenied, Records.Referral.Type, referralId.ToString(), "letter of a referral not addressed to the viewer's provider", cancellationToken);
                return null;
            }

            survivorCase = await db.Cases.AsNoTracking().FirstAsync(c => c.Id == referral.CaseId, cancellationToken);
        }
        else
        {
            survivorCase = await cases.FindCaseAsync(db, scope, referral.CaseId, cancellationToken);
            if (survivorCase is null)
            {
                return null;
            }
        }

        var copy = await CopyAsync(db, referral, survivorCase, cancellationToken);
        var provider = await db.ServiceProviders.AsNoTracking().FirstAsync(p => p.Id == referral.ProviderId, cancellationToken);
        var language = provider.Languages.FirstOrDefault(l => l is "en" or "fr") ?? "en";
        var pdf = letter.Render(copy, provider.Name, language, scope.TimeZoneId);
        await audit.RecordAsync(AuditAction.PrintedReferralLetter, Records.Referral.Type, referralId.ToString(), $"fields: {copy.Shared}; language: {language}", cancellationToken);
        return new DownloadFile(pdf, "application/pdf", $"{copy.Reference.Replace('/', '-')}.pdf");
    }

    /// <summary>The provider copy of the referral now; the identity is read (and decrypted) only when the consent shares part of it.</summary>
    private async Task<ProviderCopy> CopyAsync(PortalDbContext db, Referral referral, Case survivorCase, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcDateTime();
        var shared = ProviderCopy.SharedWith(survivorCase, referral.ProviderId, now);
        var identity = (shared & (SharedField.Name | SharedField.Contact)) != SharedField.None && survivorCase.ErasedAtUtc is null
            ? await db.IdentityRecords.AsNoTracking().FirstOrDefaultAsync(r => r.CaseId == survivorCase.Id, cancellationToken)
            : null;
        return ProviderCopy.Of(referral, survivorCase, identity, now);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Referral, RowData>> Row = r =>
        new RowData(r.Id, r.CaseNumber, r.Type, r.Urgency, r.Status, r.SentAtUtc, r.AcceptanceDueAtUtc, r.AppointmentAtUtc);

    private static DeskRow ToRow(RowData r) =>
        new(r.Id, Referral.ReferenceOf(r.CaseNumber, r.Id), r.Type, r.Urgency, r.Status, r.SentAtUtc, r.AcceptanceDueAtUtc, r.AppointmentAtUtc);

    private sealed record RowData(
        Guid Id, string CaseNumber, ReferralType Type, ReferralUrgency Urgency, ReferralStatus Status, DateTime? SentAtUtc, DateTime? AcceptanceDueAtUtc, DateTime? AppointmentAtUtc);
}
