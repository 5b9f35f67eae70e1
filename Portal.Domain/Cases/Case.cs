using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Intake;

namespace Portal.Domain.Cases;

/// <summary>
/// One person receiving assistance, identified only by a pseudonymous number.
/// <para>
/// Lifecycle: Intake → Assessment → ActionPlan → Assistance → FollowUp, each step forward to the next and no
/// skipping: every stage records something the next relies on (an assessed need before a plan, a plan before
/// assistance, delivered assistance before following it up). A person who needs nothing further at any stage is
/// handled by a closure request, never by jumping ahead. From Assessment onwards closure can be requested; a
/// coordinator other than the requester approves (→ Closed) or rejects it (→ the stage it was requested from).
/// A closed case is reopened into Assessment.
/// </para>
/// <para>
/// A closed case is read-only except for what must outlive assistance: revoking consent and keeping the
/// allegation's investigation status current.
/// </para>
/// <para>
/// Retention: a set time after closure, who the person was (identity, contact details, their own account) is destroyed
/// and the case is marked erased; its number, figures and history stay, so counts of past years stay true. A coordinator
/// may hold a case from erasure with a reason (an open legal or paternity claim).
/// </para>
/// </summary>
public sealed class Case : VersionedEntity
{
    public const int CommentMaxLength = 4000;
    public const int ErasureHoldReasonMaxLength = 500;

    private static readonly CaseStatus[] ClosableStatuses =
        [CaseStatus.Assessment, CaseStatus.ActionPlan, CaseStatus.Assistance, CaseStatus.FollowUp];

    private readonly List<ConsentRecord> _consents = [];
    private readonly List<CaseStatusChange> _statusHistory = [];

    private Case()
    {
    }

    public Guid Id { get; private set; }

    public string Number { get; private set; } = string.Empty;

    public string CountryCode { get; private set; } = string.Empty;

    public CaseStatus Status { get; private set; }

    public RiskLevel RiskLevel { get; private set; }

    public string? RiskAssessedBy { get; private set; }

    public DateTime RiskAssessedAtUtc { get; private set; }

    public string? AssignedAdvocateId { get; private set; }

    public DateTime? AssignedAtUtc { get; private set; }

    public DateTime OpenedAtUtc { get; private set; }

    /// <summary>When an advocate first took the case up; feeds "median time from intake to first contact".</summary>
    public DateTime? FirstContactAtUtc { get; private set; }

    public DateTime? ClosedAtUtc { get; private set; }

    /// <summary>The pending reason while ClosureRequested, the final one once Closed; cleared on rejection and reopening.</summary>
    public CaseClosureReason? ClosureReason { get; private set; }

    public string? ClosureComment { get; private set; }

    /// <summary>The case this one's requests were linked into; such a case stays closed, the person's thread lives there.</summary>
    public Guid? LinkedIntoCaseId { get; private set; }

    public string? ClosureRequestedBy { get; private set; }

    public DateTime? ClosureRequestedAtUtc { get; private set; }

    /// <summary>Where a rejected closure request sends the case back to.</summary>
    public CaseStatus? StatusBeforeClosureRequest { get; private set; }

    public int ReopenCount { get; private set; }

    /// <summary>When retention destroyed who the person was; the case itself, its figures and its history stay.</summary>
    public DateTime? ErasedAtUtc { get; private set; }

    /// <summary>Why a coordinator keeps this case from erasure (an open legal claim, a paternity claim under way).</summary>
    public string? ErasureHoldReason { get; private set; }

    public string? ErasureHeldBy { get; private set; }

    public DateTime? ErasureHeldAtUtc { get; private set; }

    public string SubmissionLanguage { get; private set; } = string.Empty;

    public Guid? IntakeSubmissionId { get; private set; }

    public SurvivorProfile Profile { get; private set; } = null!;

    public Allegation? Allegation { get; private set; }

    /// <summary>Every consent ever recorded, in no guaranteed order; order by <see cref="ConsentRecord.Sequence"/>.</summary>
    public IReadOnlyList<ConsentRecord> Consents => _consents;

    /// <summary>In no guaranteed order once loaded; order by <see cref="CaseStatusChange.Sequence"/>.</summary>
    public IReadOnlyList<CaseStatusChange> StatusHistory => _statusHistory;

    public ConsentRecord? LatestConsent => _consents.MaxBy(c => c.Sequence);

    /// <summary>The consent that counts now: the latest one, unless it was revoked.</summary>
    public ConsentRecord? CurrentConsent => LatestConsent is { IsRevoked: false } latest ? latest : null;

    public bool IsClosed => Status == CaseStatus.Closed;

    public bool IsErased => ErasedAtUtc is not null;

    public bool IsHeldFromErasure => ErasureHoldReason is not null;

    public static Case OpenFromIntake(
        CaseNumber number,
        string countryCode,
        RiskLevel riskLevel,
        string submissionLanguage,
        string? openedBy,
        TimeProvider clock,
        Guid? intakeSubmissionId = null,
        SurvivorProfile? profile = null)
    {
        var country = Guard.CountryCode(countryCode);
        if (number.CountryCode != country)
        {
            throw new DomainException(
                ErrorCodes.CaseCountryMismatch,
                $"Cannot open case {number} in {country}: the number belongs to {number.CountryCode}.");
        }

        var now = clock.GetUtcDateTime();
        var opened = new Case
        {
            Id = Guid.CreateVersion7(),
            Number = number.ToString(),
            CountryCode = country,
            Status = CaseStatus.Intake,
            RiskLevel = Guard.Defined(riskLevel, "Risk level"),
            RiskAssessedBy = openedBy,
            RiskAssessedAtUtc = now,
            OpenedAtUtc = now,
            SubmissionLanguage = Guard.CultureCode(submissionLanguage, "Submission language"),
            IntakeSubmissionId = intakeSubmissionId,
            Profile = profile ?? SurvivorProfile.Unknown,
        };
        opened.AddHistory(null, CaseStatus.Intake, openedBy, now, comment: null, closureReason: null);
        opened.Touch();
        return opened;
    }

    /// <summary>Claiming a case one already holds changes nothing, so a double click is harmless.</summary>
    public void Claim(string advocateId, TimeProvider clock)
    {
        Guard.UserId(advocateId, "Advocate");
        EnsureNotClosed("claim");
        if (AssignedAdvocateId == advocateId)
        {
            return;
        }

        if (AssignedAdvocateId is not null)
        {
            throw new DomainException(
                ErrorCodes.CaseClaimedByOther,
                $"Cannot claim case {Number}: it is already claimed by {AssignedAdvocateId}.");
        }

        Assign(advocateId, advocateId, clock.GetUtcDateTime());
    }

    /// <summary>Puts the case back in the country queue, in the stage it has reached.</summary>
    public void Release(string by)
    {
        Guard.UserId(by, "The person releasing the case");
        EnsureNotClosed("release");
        if (AssignedAdvocateId is null)
        {
            throw new DomainException(ErrorCodes.CaseNotAssigned, $"Cannot release case {Number}: no advocate holds it.");
        }

        AssignedAdvocateId = null;
        AssignedAtUtc = null;
        Touch();
    }

    /// <summary>How long a claim can be taken back as a slip of the hand rather than released.</summary>
    public static readonly TimeSpan ClaimUndoWindow = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Takes back a claim made moments ago by the same advocate. Unlike a release, the case returns as it was: an intake
    /// that nobody has contacted, so it is back among the new cases and the claim does not count as first contact.
    /// </summary>
    public void UndoClaim(string advocateId, TimeProvider clock)
    {
        Guard.UserId(advocateId, "Advocate");
        EnsureNotClosed("undo the claim on");
        var now = clock.GetUtcDateTime();
        if (AssignedAdvocateId != advocateId || AssignedAtUtc is not { } claimedAt || now - claimedAt > ClaimUndoWindow)
        {
            throw new DomainException(ErrorCodes.ClaimUndoExpired, $"The claim on case {Number} can no longer be undone; release the case instead.");
        }

        var last = _statusHistory.MaxBy(h => h.Sequence);
        if (last is { From: CaseStatus.Intake, To: CaseStatus.Assessment } && last.ByUserId == advocateId && last.AtUtc == claimedAt)
        {
            ChangeStatus(CaseStatus.Intake, advocateId, now, comment: null, closureReason: null);
        }

        if (FirstContactAtUtc == claimedAt)
        {
            FirstContactAtUtc = null;
        }

        AssignedAdvocateId = null;
        AssignedAtUtc = null;
        Touch();
    }

    /// <summary>A coordinator's move; an unclaimed intake handed to someone is taken up as if claimed.</summary>
    public void Reassign(string toAdvocateId, string by, TimeProvider clock)
    {
        Guard.UserId(toAdvocateId, "Advocate");
        Guard.UserId(by, "The person reassigning the case");
        EnsureNotClosed("reassign");
        if (AssignedAdvocateId == toAdvocateId)
        {
            throw new DomainException(
                ErrorCodes.CaseAlreadyAssignedTo,
                $"Cannot reassign case {Number} to {toAdvocateId}: it is already assigned to them.");
        }

        Assign(toAdvocateId, by, clock.GetUtcDateTime());
    }

    public void StartActionPlan(string by, TimeProvider clock, string? comment = null) =>
        Advance(CaseStatus.Assessment, CaseStatus.ActionPlan, "start the action plan of", by, clock, comment);

    public void StartAssistance(string by, TimeProvider clock, string? comment = null) =>
        Advance(CaseStatus.ActionPlan, CaseStatus.Assistance, "start assistance on", by, clock, comment);

    public void StartFollowUp(string by, TimeProvider clock, string? comment = null) =>
        Advance(CaseStatus.Assistance, CaseStatus.FollowUp, "start follow-up of", by, clock, comment);

    /// <summary>
    /// Asks a coordinator to close the case. Nothing may be left open (<paramref name="openWork"/>): each referral,
    /// follow-up, paternity claim and unread word from the person is settled first, so the closure closes.
    /// </summary>
    public void RequestClosure(CaseClosureReason reason, string? comment, OpenWork openWork, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person requesting closure");
        EnsureStatus("request closure of", ClosableStatuses);
        Guard.Defined(reason, "Closure reason");
        openWork.EnsureResolved(this, "request closure of");
        var text = reason == CaseClosureReason.Other
            ? Guard.Required(comment, "A comment explaining the closure reason 'Other'", CommentMaxLength)
            : Guard.Optional(comment, "Closure comment", CommentMaxLength);

        var now = clock.GetUtcDateTime();
        StatusBeforeClosureRequest = Status;
        ClosureReason = reason;
        ClosureComment = text;
        ClosureRequestedBy = by;
        ClosureRequestedAtUtc = now;
        ChangeStatus(CaseStatus.ClosureRequested, by, now, text, reason);
    }

    /// <summary>
    /// Closes the case. Checked again here, not only at the request: work may have been added, or the person may have
    /// written, while the request waited.
    /// </summary>
    public void ApproveClosure(string coordinatorId, string? comment, OpenWork openWork, TimeProvider clock)
    {
        Guard.UserId(coordinatorId, "Coordinator");
        EnsureStatus("approve closure of", CaseStatus.ClosureRequested);
        if (coordinatorId == ClosureRequestedBy)
        {
            throw new DomainException(
                ErrorCodes.CaseApproverIsRequester,
                $"Cannot approve closure of case {Number}: {coordinatorId} requested it, and a closure needs a second person's approval.");
        }

        openWork.EnsureResolved(this, "approve closure of");
        var text = Guard.Optional(comment, "Comment", CommentMaxLength);
        var now = clock.GetUtcDateTime();
        ClosedAtUtc = now;
        StatusBeforeClosureRequest = null;
        ChangeStatus(CaseStatus.Closed, coordinatorId, now, text, ClosureReason);
    }

    public void RejectClosure(string coordinatorId, string comment, TimeProvider clock)
    {
        Guard.UserId(coordinatorId, "Coordinator");
        EnsureStatus("reject closure of", CaseStatus.ClosureRequested);
        var text = Guard.Required(comment, "A comment explaining the rejection", CommentMaxLength);
        var backTo = StatusBeforeClosureRequest ?? CaseStatus.Assessment;
        ClearClosure();
        ChangeStatus(backTo, coordinatorId, clock.GetUtcDateTime(), text, closureReason: null);
    }

    public void Reopen(string reason, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person reopening the case");
        EnsureStatus("reopen", CaseStatus.Closed);
        if (LinkedIntoCaseId is not null)
        {
            throw new DomainException(ErrorCodes.RequestAlreadyLinked, $"Cannot reopen case {Number}: its requests were linked into case {ClosureComment}; work there.");
        }

        var text = Guard.Required(reason, "A reason for reopening", CommentMaxLength);
        ReopenCount++;
        ClosedAtUtc = null;
        ClearClosure();
        ChangeStatus(CaseStatus.Assessment, by, clock.GetUtcDateTime(), text, closureReason: null);
    }

    /// <summary>Keeps the case from erasure until released; placing a hold again replaces the reason.</summary>
    public void HoldFromErasure(string reason, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person holding the case");
        var text = Guard.Required(reason, "A reason for holding the case from erasure", ErasureHoldReasonMaxLength);
        if (IsErased)
        {
            throw new DomainException(ErrorCodes.CaseErased, $"Cannot hold case {Number} from erasure: it was erased on {ErasedAtUtc:yyyy-MM-dd}.");
        }

        ErasureHoldReason = text;
        ErasureHeldBy = by;
        ErasureHeldAtUtc = clock.GetUtcDateTime();
        Touch();
    }

    public void ReleaseErasureHold(string by)
    {
        Guard.UserId(by, "The person releasing the hold");
        if (!IsHeldFromErasure)
        {
            throw new DomainException(ErrorCodes.CaseNotHeld, $"Cannot release the erasure hold on case {Number}: it is not held.");
        }

        ErasureHoldReason = null;
        ErasureHeldBy = null;
        ErasureHeldAtUtc = null;
        Touch();
    }

    /// <summary>
    /// Records that retention destroyed who the person was. Only a closed case that nobody holds, once: the caller has
    /// checked that the retention period since <see cref="ClosedAtUtc"/> has passed.
    /// </summary>
    public void MarkErased(TimeProvider clock)
    {
        EnsureStatus("erase", CaseStatus.Closed);
        if (IsHeldFromErasure)
        {
            throw new DomainException(ErrorCodes.CaseErasureHeld, $"Cannot erase case {Number}: it is held from erasure ({ErasureHoldReason}).");
        }

        if (IsErased)
        {
            throw new DomainException(ErrorCodes.CaseErased, $"Cannot erase case {Number}: it was erased on {ErasedAtUtc:yyyy-MM-dd}.");
        }

        ErasedAtUtc = clock.GetUtcDateTime();
        Profile = Profile.WithoutQuasiIdentifiers();
        Touch();
    }

    /// <summary>
    /// A person who lost the passphrase of their request sent a new one, which opened this case; the advocate links it
    /// into the person's case (<paramref name="into"/>). This case's requests and the messages to the person move there
    /// (saving them seals them again with that case's key), and this case closes as a duplicate naming the case it went
    /// into. Only a case with no work of its own is linked: a new intake or one just taken up, with no consent,
    /// allegation or record of its own (<paramref name="hasRecordsOfItsOwn"/>: referrals, follow-ups, children, an
    /// assessment, plan goals), so nothing done for the person is left behind on a closed case.
    /// </summary>
    public void LinkInto(
        Case into,
        IReadOnlyCollection<IntakeSubmission> requests,
        IReadOnlyCollection<PersonMessage> messages,
        bool hasRecordsOfItsOwn,
        string by,
        TimeProvider clock)
    {
        Guard.UserId(by, "The person linking the request");
        if (into.Id == Id)
        {
            throw new DomainException(ErrorCodes.RequestLinkSameCase, $"Cannot link case {Number} into itself: the request is already in this case.");
        }

        if (IsClosed)
        {
            throw ClosureReason == CaseClosureReason.Duplicate
                ? new DomainException(ErrorCodes.RequestAlreadyLinked, $"Cannot link case {Number}: it was closed as a duplicate already.")
                : new DomainException(ErrorCodes.CaseClosed, $"Cannot link case {Number}: it is Closed.");
        }

        into.EnsureNotClosed("link a request into");
        if (into.CountryCode != CountryCode)
        {
            throw new DomainException(ErrorCodes.RequestLinkOtherCountry, $"Cannot link case {Number} ({CountryCode}) into case {into.Number} ({into.CountryCode}): they are in different countries.");
        }

        if (requests.Count == 0)
        {
            throw new DomainException(ErrorCodes.RequestLinkNoRequest, $"Cannot link case {Number}: it holds no request from the person.");
        }

        if (Status is not (CaseStatus.Intake or CaseStatus.Assessment) || _consents.Count > 0 || Allegation is not null || hasRecordsOfItsOwn)
        {
            throw new DomainException(ErrorCodes.RequestLinkCaseHasWork, $"Cannot link case {Number}: work has been done on it; close it the usual way instead.");
        }

        foreach (var request in requests)
        {
            request.MoveToCase(Id, into.Id);
        }

        foreach (var message in messages)
        {
            message.MoveToCase(Id, into.Id);
        }

        var now = clock.GetUtcDateTime();
        ClosedAtUtc = now;
        ClosureReason = CaseClosureReason.Duplicate;
        ClosureComment = into.Number;
        LinkedIntoCaseId = into.Id;
        ChangeStatus(CaseStatus.Closed, by, now, into.Number, CaseClosureReason.Duplicate);
    }

    public void ChangeRisk(RiskLevel level, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person assessing risk");
        Guard.Defined(level, "Risk level");
        EnsureNotClosed("change the risk level of");
        RiskLevel = level;
        RiskAssessedBy = by;
        RiskAssessedAtUtc = clock.GetUtcDateTime();
        Touch();
    }

    public void UpdateProfile(SurvivorProfile profile)
    {
        EnsureNotClosed("update the profile of");
        Profile = profile;
        Touch();
    }

    public void RecordAllegation(AllegationDetails details, TimeProvider clock)
    {
        if (Allegation is not null)
        {
            throw new DomainException(
                ErrorCodes.AllegationAlreadyRecorded,
                $"Cannot record an allegation on case {Number}: one is already recorded; update it instead.");
        }

        Allegation = Allegation.Create(details, clock.GetUtcDateTime());
        Touch();
    }

    public void UpdateAllegation(AllegationDetails details, TimeProvider clock)
    {
        if (Allegation is null)
        {
            throw new DomainException(
                ErrorCodes.NoAllegation,
                $"Cannot update the allegation on case {Number}: none is recorded yet.");
        }

        Allegation = Allegation.Create(details, clock.GetUtcDateTime());
        Touch();
    }

    public ConsentRecord RecordConsent(
        ConsentGiver givenBy,
        bool forServices,
        bool forSharingNonIdentifyingData,
        IEnumerable<Guid> sharedWithProviderIds,
        SharedField sharedFields,
        string? withhold,
        string by,
        TimeProvider clock)
    {
        EnsureNotClosed("record consent on");
        var record = ConsentRecord.Record(
            (LatestConsent?.Sequence ?? 0) + 1,
            givenBy,
            forServices,
            forSharingNonIdentifyingData,
            sharedWithProviderIds,
            sharedFields,
            withhold,
            by,
            clock.GetUtcDateTime());
        _consents.Add(record);
        Touch();
        return record;
    }

    public void RevokeConsent(string by, TimeProvider clock)
    {
        var current = CurrentConsent
            ?? throw new DomainException(ErrorCodes.NoConsent, $"Cannot revoke consent on case {Number}: there is no consent in force.");
        current.Revoke(by, clock.GetUtcDateTime());
        Touch();
    }

    public bool NeedsReconsent(TimeProvider clock) => NeedsReconsent(clock.GetUtcDateTime());

    /// <summary>
    /// A caregiver's consent stops counting once the child it was given for turns 18: from then on only the
    /// person's own consent does. Without birth data the day cannot be known, so record a birth year for children.
    /// </summary>
    public bool NeedsReconsent(DateTime utcNow)
    {
        if (CurrentConsent is not { GivenBy: ConsentGiver.Caregiver } consent || Profile.AdulthoodDate is not { } adulthood)
        {
            return false;
        }

        return DateOnly.FromDateTime(consent.RecordedAtUtc) < adulthood && DateOnly.FromDateTime(utcNow) >= adulthood;
    }

    /// <summary>
    /// The actions the UI should offer this user now. Working a case is for its advocate or a coordinator; anyone
    /// in scope may claim an unassigned case or reopen a closed one (the person may come back to whoever is on duty).
    /// This is a convenience for the UI, not authorisation: services still decide who may act.
    /// </summary>
    public IReadOnlySet<CaseAction> AvailableActions(string userId, bool isCoordinator)
    {
        var mayWork = isCoordinator || (AssignedAdvocateId is not null && AssignedAdvocateId == userId);
        var open = !IsClosed;
        var actions = new HashSet<CaseAction>();

        void AddIf(bool condition, CaseAction action)
        {
            if (condition)
            {
                actions.Add(action);
            }
        }

        AddIf(open && AssignedAdvocateId is null, CaseAction.Claim);
        AddIf(open && AssignedAdvocateId is not null && mayWork, CaseAction.Release);
        AddIf(open && isCoordinator, CaseAction.Reassign);
        AddIf(mayWork && Status == CaseStatus.Assessment, CaseAction.StartActionPlan);
        AddIf(mayWork && Status == CaseStatus.ActionPlan, CaseAction.StartAssistance);
        AddIf(mayWork && Status == CaseStatus.Assistance, CaseAction.StartFollowUp);
        AddIf(mayWork && ClosableStatuses.Contains(Status), CaseAction.RequestClosure);
        AddIf(isCoordinator && Status == CaseStatus.ClosureRequested && userId != ClosureRequestedBy, CaseAction.ApproveClosure);
        AddIf(isCoordinator && Status == CaseStatus.ClosureRequested, CaseAction.RejectClosure);
        AddIf(IsClosed && LinkedIntoCaseId is null, CaseAction.Reopen);
        AddIf(open && mayWork, CaseAction.ChangeRisk);
        AddIf(open && mayWork, CaseAction.UpdateProfile);
        AddIf(mayWork && Allegation is null, CaseAction.RecordAllegation);
        AddIf(mayWork && Allegation is not null, CaseAction.UpdateAllegation);
        AddIf(open && mayWork, CaseAction.RecordConsent);
        AddIf(mayWork && CurrentConsent is not null, CaseAction.RevokeConsent);
        AddIf(open && mayWork, CaseAction.CreateReferral);
        AddIf(mayWork, CaseAction.AddNote);
        return actions;
    }

    /// <summary>Refuses a change to the case, or to a record of it, once it is closed.</summary>
    public void EnsureNotClosed(string attempt)
    {
        if (IsClosed)
        {
            throw new DomainException(ErrorCodes.CaseClosed, $"Cannot {attempt} case {Number}: it is Closed; reopen it first.");
        }
    }

    private void Assign(string advocateId, string by, DateTime now)
    {
        AssignedAdvocateId = advocateId;
        AssignedAtUtc = now;
        FirstContactAtUtc ??= now;
        if (Status == CaseStatus.Intake)
        {
            ChangeStatus(CaseStatus.Assessment, by, now, comment: null, closureReason: null);
        }
        else
        {
            Touch();
        }
    }

    private void Advance(CaseStatus from, CaseStatus to, string attempt, string by, TimeProvider clock, string? comment)
    {
        Guard.UserId(by, "The person moving the case");
        EnsureStatus(attempt, from);
        ChangeStatus(to, by, clock.GetUtcDateTime(), Guard.Optional(comment, "Comment", CommentMaxLength), closureReason: null);
    }

    private void EnsureStatus(string attempt, params CaseStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new DomainException(
                ErrorCodes.CaseInvalidTransition,
                $"Cannot {attempt} case {Number}: it is in {Status}; only a case in {DescribeAlternatives(allowed)} allows this.");
        }
    }

    private static string DescribeAlternatives(CaseStatus[] statuses) =>
        statuses.Length == 1
            ? statuses[0].ToString()
            : $"{string.Join(", ", statuses[..^1])} or {statuses[^1]}";

    private void ClearClosure()
    {
        ClosureReason = null;
        ClosureComment = null;
        ClosureRequestedBy = null;
        ClosureRequestedAtUtc = null;
        StatusBeforeClosureRequest = null;
    }

    private void ChangeStatus(CaseStatus to, string? by, DateTime now, string? comment, CaseClosureReason? closureReason)
    {
        AddHistory(Status, to, by, now, comment, closureReason);
        Status = to;
        Touch();
    }

    private void AddHistory(CaseStatus? from, CaseStatus to, string? by, DateTime now, string? comment, CaseClosureReason? closureReason)
    {
        var sequence = _statusHistory.Count == 0 ? 1 : _statusHistory.Max(h => h.Sequence) + 1;
        _statusHistory.Add(new CaseStatusChange(sequence, from, to, by, now, comment, closureReason));
    }
}
