namespace Portal.Domain.Audit;

/// <summary>Stored by name and part of each entry's hash: add new values, never rename existing ones.</summary>
public enum AuditAction
{
    ViewedCase,
    RevealedIdentity,
    Created,
    Changed,
    Deleted,
    Exported,
    SignedIn,
    SignInFailed,
    SignedOut,
    LockedOut,
    AccessDenied,
    ClaimedCase,
    ReleasedCase,
    ReassignedCase,
    ClosureRequested,
    ClosureApproved,
    ClosureRejected,
    ReopenedCase,
    ConsentRecorded,
    ConsentRevoked,
    ConsentOverride,
    ReferralSent,
    ViewedIntake,
    ViewedAuditLog,
    SettingsChanged,
    UserChanged,

    /// <summary>A reveal was asked for and the identity could not be shown (unreadable or erased): nothing was seen.</summary>
    RevealFailed,

    /// <summary>Retention destroyed who the person was; the case, its figures and this trail stay.</summary>
    ErasedByRetention,
    ErasureHoldPlaced,
    ErasureHoldReleased,
    ListedUsers,
    BackupTaken,
    BackupRestored,

    /// <summary>Someone working the case read the person's request: their account, additions and the messages with them.</summary>
    ViewedRequest,

    /// <summary>A request the person sent again (they had lost their passphrase) was linked into their case, moving it from the case it had opened.</summary>
    RequestLinked,

    /// <summary>Someone put unsaved text they had typed into a case's form back into it (a note, a referral).</summary>
    RestoredDraft,

    /// <summary>Someone working the case downloaded one of its documents.</summary>
    DownloadedDocument,

    /// <summary>A provider's user read one referral addressed to their organisation (its provider copy).</summary>
    ViewedReferral,

    /// <summary>A provider's user downloaded a referral's letter, or staff printed it for the provider.</summary>
    PrintedReferralLetter,
}
