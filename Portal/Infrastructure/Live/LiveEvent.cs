namespace Portal.Infrastructure.Live;

public enum LiveEventKind
{
    CaseCreated,
    CaseClaimed,
    CaseReleased,
    CaseStatusChanged,
    CaseChanged,
    ReferralChanged,
    FollowUpChanged,
    NoteAdded,
    NotificationCreated,

    /// <summary>The recipient read or snoozed notifications; their bell recounts.</summary>
    NotificationRead,
    ChildChanged,
    PaternityClaimChanged,

    /// <summary>The person wrote through the status page; the record is the submission.</summary>
    PersonWrote,

    /// <summary>Someone working the case read what the person wrote (the unread mark goes).</summary>
    PersonWordsRead,

    /// <summary>A message to the person was written, or the person read one; the record is the message.</summary>
    PersonMessageChanged,

    /// <summary>A session of the recipient ended (sign-out, disabled or changed account, idleness, the limit): their open pages check theirs at once.</summary>
    SessionEnded,

    /// <summary>The case's assessment or a goal of its action plan changed; the record is the assessment or the goal.</summary>
    PlanChanged,

    /// <summary>A document was attached to the case or deleted; the record is the document.</summary>
    DocumentChanged,
}

/// <summary>
/// Something committed that open pages may want to show. It carries ids, country and kind only, never
/// personal data: pages re-query through their services, which apply the viewer's scope.
/// </summary>
/// <param name="CountryCode">The country of the case; subscribers outside it never receive the event.</param>
/// <param name="RecipientUserId">Set for events meant for one user (notifications); others never receive them.</param>
/// <param name="ProviderId">Set for a referral's events: the users of the provider it is addressed to receive them, and no other provider's.</param>
public sealed record LiveEvent(LiveEventKind Kind, string CountryCode, Guid? CaseId = null, Guid? RecordId = null, string? RecipientUserId = null, Guid? ProviderId = null);
