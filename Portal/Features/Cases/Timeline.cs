using Portal.Domain.Cases;
using Portal.Domain.Documents;
using Portal.Domain.FollowUps;
using Portal.Domain.Notes;
using Portal.Domain.Notifications;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;
using Portal.Features.Intake;
using Portal.Features.Reminders;

namespace Portal.Features.Cases;

/// <summary>The lines of a case's timeline, from its records and what was sent about it.</summary>
internal static class Timeline
{
    public static List<TimelineEntry> Build(
        Case survivorCase,
        IReadOnlyList<Referral> referrals,
        IReadOnlyDictionary<Guid, string> providers,
        IReadOnlyList<FollowUp> followUps,
        IReadOnlyList<Note> notes,
        IReadOnlyList<SentNotification> sent,
        Assessment? assessment,
        IReadOnlyList<PlanGoal> goals,
        IReadOnlyList<CaseDocument> documents,
        IReadOnlyList<TimelineEntry> links)
    {
        var entries = new List<TimelineEntry>(links);
        entries.AddRange(survivorCase.StatusHistory.Select(s => new TimelineEntry(s.AtUtc, TimelineKind.Status, $"{s.From?.ToString() ?? "—"} → {s.To}", s.Comment, s.ByUserId)
        {
            FromStatus = s.From,
            ToStatus = s.To,
        }));
        entries.AddRange(survivorCase.Consents.Select(c => new TimelineEntry(c.RecordedAtUtc, TimelineKind.Consent, $"Consent recorded ({c.GivenBy})", null, c.RecordedBy) { ConsentGiver = c.GivenBy }));
        entries.AddRange(survivorCase.Consents.Where(c => c.RevokedAtUtc is not null).Select(c => new TimelineEntry(c.RevokedAtUtc!.Value, TimelineKind.Consent, "Consent revoked", null, c.RevokedBy)));
        entries.AddRange(notes.Select(n => new TimelineEntry(n.CreatedAtUtc, TimelineKind.Note, "Note", n.Text, n.AuthorId)));
        foreach (var referral in referrals)
        {
            var provider = providers.GetValueOrDefault(referral.ProviderId) ?? "";
            entries.AddRange(referral.History.Select(h => new TimelineEntry(h.AtUtc, TimelineKind.Referral, $"{referral.Type} referral to {provider}: {h.To}", h.Comment, h.ByUserId)
            {
                ReferralType = referral.Type,
                ReferralStatus = h.To,
                ProviderName = provider,
                AppointmentAtUtc = h.AppointmentAtUtc,
            }));
        }

        entries.AddRange(followUps.SelectMany(f => f.MovedHistory.Select(m => new TimelineEntry(m.AtUtc, TimelineKind.FollowUp, $"{f.Kind} follow-up moved to {m.ToDueAtUtc:yyyy-MM-dd HH:mm} UTC", m.Reason, m.ByUserId)
        {
            FollowUpKind = f.Kind,
            MovedToUtc = m.ToDueAtUtc,
        })));
        entries.AddRange(followUps.Where(f => f.DoneAtUtc is not null).Select(f => new TimelineEntry(f.DoneAtUtc!.Value, TimelineKind.FollowUp, $"{f.Kind} follow-up done", f.DoneNote, f.DoneBy) { FollowUpKind = f.Kind }));
        if (assessment is not null)
        {
            entries.AddRange(assessment.Versions.Select(v => new TimelineEntry(v.RecordedAtUtc, TimelineKind.Assessment, $"Assessment version {v.Sequence}: risk {v.Risk}", v.RiskReason, v.RecordedBy)
            {
                Assessment = (v.Sequence, v.Risk),
            }));
        }

        entries.AddRange(goals.Select(g => new TimelineEntry(g.CreatedAtUtc, TimelineKind.Goal, "Goal added", g.Description, g.CreatedBy) { GoalStatus = Portal.Domain.Plans.GoalStatus.Open }));
        entries.AddRange(goals.Where(g => g.EndedAtUtc is not null).Select(g => new TimelineEntry(g.EndedAtUtc!.Value, TimelineKind.Goal, $"Goal {g.Status}", g.DropReason, g.EndedBy) { GoalStatus = g.Status }));
        entries.AddRange(documents.Select(d => new TimelineEntry(d.UploadedAtUtc, TimelineKind.Document, $"Document attached ({d.Kind})", null, d.UploadedBy) { DocumentKind = d.Kind }));
        entries.AddRange(documents.Where(d => d.IsDeleted).Select(d => new TimelineEntry(d.DeletedAtUtc!.Value, TimelineKind.Document, $"Document deleted ({d.Kind})", d.DeleteReason, d.DeletedBy)
        {
            DocumentKind = d.Kind,
            DocumentDeleted = true,
        }));
        entries.AddRange(sent.Select(n => new TimelineEntry(
            n.DeliveredAtUtc,
            TimelineKind.Notification,
            $"{(n.IsEscalation ? "Escalation" : "Reminder")} ({n.Kind}{(n.FollowUpKind is { } f ? $", {f}" : n.ReferralType is { } r ? $", {r}" : "")}) sent to {n.RecipientName} ({(n.Channel == NotificationChannel.InApp ? "in-app" : "e-mail")})",
            null,
            null) { Sent = n }));
        return entries.OrderByDescending(e => e.AtUtc).ToList();
    }
}
