namespace Portal.Domain.Common;

/// <summary>Machine-readable codes carried by <see cref="DomainException.Code"/>; stable, so the UI can localise them.</summary>
public static class ErrorCodes
{
    public const string Required = "validation.required";
    public const string TooLong = "validation.too-long";
    public const string NullCharacter = "validation.null-character";
    public const string InvalidFormat = "validation.invalid-format";
    public const string InvalidValue = "validation.invalid-value";
    public const string DateInFuture = "validation.date-in-future";
    public const string DateOrder = "validation.date-order";
    public const string DateInPast = "validation.date-in-past";
    public const string UnknownTimeZone = "validation.unknown-time-zone";
    public const string TooMany = "validation.too-many";

    public const string CaseNumberExhausted = "case-number.exhausted";

    public const string CaseInvalidTransition = "case.invalid-transition";
    public const string CaseClosed = "case.closed";
    public const string ClosureReasonRequired = "case.closure-reason-required";
    public const string CaseClaimedByOther = "case.claimed-by-other";
    public const string CaseNotAssigned = "case.not-assigned";
    public const string ClaimUndoExpired = "case.claim-undo-expired";
    public const string CaseAlreadyAssignedTo = "case.already-assigned-to";
    public const string CaseApproverIsRequester = "case.approver-is-requester";
    public const string CaseCountryMismatch = "case.country-mismatch";
    public const string AllegationAlreadyRecorded = "case.allegation-already-recorded";
    public const string NoAllegation = "case.no-allegation";
    public const string NoConsent = "case.no-consent";
    public const string CaseErased = "case.erased";
    public const string CaseErasureHeld = "case.erasure-held";
    public const string CaseNotHeld = "case.not-held";
    public const string CaseOpenWork = "case.open-work";
    public const string CaseOpenWorkOtherCase = "case.open-work-other-case";

    public const string DocumentDeleted = "document.deleted";

    public const string ReferralInvalidTransition = "referral.invalid-transition";
    public const string AppointmentInPast = "referral.appointment-in-past";
    public const string AppointmentTooFar = "referral.appointment-too-far";
    public const string ReferralConsentRequired = "referral.consent-required";
    public const string ReferralWrongCase = "referral.wrong-case";
    public const string ReferralWrongProvider = "referral.wrong-provider";
    public const string ProviderInactive = "provider.inactive";
    public const string ProviderServiceNotOffered = "provider.service-not-offered";
    public const string ProviderOtherCountry = "provider.other-country";

    public const string AssessmentWrongCase = "assessment.wrong-case";
    public const string AssessmentDuplicateNeed = "assessment.duplicate-need";
    public const string GoalWrongCase = "goal.wrong-case";
    public const string GoalNotOpen = "goal.not-open";
    public const string GoalNeedMismatch = "goal.need-mismatch";

    public const string FollowUpInvalidTransition = "follow-up.invalid-transition";
    public const string FollowUpSnoozeNotInFuture = "follow-up.snooze-not-in-future";

    public const string ChildExpectedTooFar = "child.expected-too-far";
    public const string ChildExpectedPast = "child.expected-past";
    public const string ChildAlreadyBorn = "child.already-born";
    public const string ChildExpected = "child.expected";

    public const string PaternityInvalidTransition = "paternity.invalid-transition";
    public const string PaternityWrongReferral = "paternity.wrong-referral";
    public const string UnknownMemberState = "paternity.unknown-member-state";

    public const string IntakeAlreadyLinked = "intake.already-linked";
    public const string PassphraseAlreadySet = "intake.passphrase-already-set";
    public const string RequestLinkNotFound = "request.link-not-found";
    public const string RequestLinkSameCase = "request.link-same-case";
    public const string RequestLinkOtherCountry = "request.link-other-country";
    public const string RequestAlreadyLinked = "request.already-linked";
    public const string RequestLinkCaseHasWork = "request.link-case-has-work";
    public const string RequestLinkCaseHeld = "request.link-case-held";
    public const string RequestLinkNoRequest = "request.link-no-request";

    public const string NoWorkingHours = "reminders.no-working-hours";
    public const string NotificationNotPending = "notification.not-pending";
    public const string NotificationNotReadable = "notification.not-readable";
}
