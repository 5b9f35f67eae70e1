using Portal.Domain.Common;
using Portal.Domain.Referrals;

namespace Portal.Domain.Children;

public enum PaternityClaimStatus
{
    Intake,
    DnaSampleRequested,
    DnaSampleCollected,
    SubmittedToMemberState,
    UnderReviewByMemberState,
    PaternityEstablished,
    ChildSupportOrdered,
    NotEstablished,
    ClosedUnresolved,
}

public sealed class PaternityClaimStatusChange
{
    private PaternityClaimStatusChange()
    {
    }

    internal PaternityClaimStatusChange(int sequence, PaternityClaimStatus? from, PaternityClaimStatus to, string byUserId, DateTime atUtc, string? note)
    {
        Sequence = sequence;
        From = from;
        To = to;
        ByUserId = byUserId;
        AtUtc = atUtc;
        Note = note;
    }

    public int Sequence { get; private set; }

    public PaternityClaimStatus? From { get; private set; }

    public PaternityClaimStatus To { get; private set; }

    public string ByUserId { get; private set; } = string.Empty;

    public DateTime AtUtc { get; private set; }

    public string? Note { get; private set; }
}

/// <summary>
/// A paternity and child-support claim for one child, pursued through a Member State and often several
/// jurisdictions over years. Claims that stop moving are flagged so that nobody forgets them.
/// </summary>
public sealed class PaternityClaim : VersionedEntity
{
    public const int JurisdictionMaxLength = 200;
    public const int NoteMaxLength = 4000;
    public const int MaxJurisdictions = 20;

    /// <summary>
    /// The forward flow, with the loops that happen in practice: a Member State may take a claim before any DNA
    /// sample, or ask for one while reviewing. ChildSupportOrdered, NotEstablished and ClosedUnresolved are final;
    /// trouble enforcing an order is recorded in notes or a new claim. Any other status may end as ClosedUnresolved.
    /// </summary>
    private static readonly Dictionary<PaternityClaimStatus, PaternityClaimStatus[]> Transitions = new()
    {
        [PaternityClaimStatus.Intake] = [PaternityClaimStatus.DnaSampleRequested, PaternityClaimStatus.SubmittedToMemberState],
        [PaternityClaimStatus.DnaSampleRequested] = [PaternityClaimStatus.DnaSampleCollected],
        [PaternityClaimStatus.DnaSampleCollected] = [PaternityClaimStatus.SubmittedToMemberState],
        [PaternityClaimStatus.SubmittedToMemberState] = [PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.DnaSampleRequested],
        [PaternityClaimStatus.UnderReviewByMemberState] =
            [PaternityClaimStatus.PaternityEstablished, PaternityClaimStatus.NotEstablished, PaternityClaimStatus.DnaSampleRequested],
        [PaternityClaimStatus.PaternityEstablished] = [PaternityClaimStatus.ChildSupportOrdered],
    };

    private readonly List<string> _jurisdictions = [];
    private readonly List<PaternityClaimStatusChange> _history = [];

    private PaternityClaim()
    {
    }

    public Guid Id { get; private set; }

    public Guid ChildId { get; private set; }

    public Guid CaseId { get; private set; }

    /// <summary>
    /// The Member State's code from <see cref="MemberStates"/>. Which State is involved is sensitive: only those allowed
    /// see its name, others a neutral number (the service decides who).
    /// </summary>
    public string MemberStateCode { get; private set; } = string.Empty;

    public IReadOnlyList<string> Jurisdictions => _jurisdictions;

    public PaternityClaimStatus Status { get; private set; }

    public Guid? LegalAidReferralId { get; private set; }

    public DateTime OpenedAtUtc { get; private set; }

    public DateTime LastMovementAtUtc { get; private set; }

    /// <summary>
    /// When someone chose, at the case's closure, to pursue the claim after the case's assistance ends; it then stays
    /// on the coordinators' lists (pending and stale claims) whatever the case's status.
    /// </summary>
    public DateTime? CarriedOnAtUtc { get; private set; }

    public string? CarriedOnBy { get; private set; }

    public bool IsCarriedOn => CarriedOnAtUtc is not null;

    /// <summary>In no guaranteed order once loaded; order by <see cref="PaternityClaimStatusChange.Sequence"/>.</summary>
    public IReadOnlyList<PaternityClaimStatusChange> History => _history;

    public bool IsFinal => PaternityClaimRules.Final.IsMetBy(this);

    public static PaternityClaim Open(Child child, string memberStateCode, IEnumerable<string> jurisdictions, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person opening the claim");
        var now = clock.GetUtcDateTime();
        var claim = new PaternityClaim
        {
            Id = Guid.CreateVersion7(),
            ChildId = child.Id,
            CaseId = child.CaseId,
            Status = PaternityClaimStatus.Intake,
            OpenedAtUtc = now,
            LastMovementAtUtc = now,
        };
        claim.UpdateDetails(memberStateCode, jurisdictions);
        claim.AddHistory(null, PaternityClaimStatus.Intake, by, now, note: null);
        return claim;
    }

    public static IReadOnlyList<PaternityClaimStatus> AllowedNext(PaternityClaimStatus from) =>
        IsFinalStatus(from) ? [] : [.. Transitions[from], PaternityClaimStatus.ClosedUnresolved];

    public void UpdateDetails(string memberStateCode, IEnumerable<string> jurisdictions)
    {
        var state = MemberStates.Find(memberStateCode)
            ?? throw new DomainException(ErrorCodes.UnknownMemberState, "The Member State must be one of the list of UN Member States.");

        var list = jurisdictions
            .Select(j => Guard.Required(j, "Jurisdiction", JurisdictionMaxLength))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (list.Count > MaxJurisdictions)
        {
            throw new DomainException(ErrorCodes.TooMany, $"A claim can list at most {MaxJurisdictions} jurisdictions.");
        }

        MemberStateCode = state.Code;
        _jurisdictions.Clear();
        _jurisdictions.AddRange(list);
        Touch();
    }

    public void LinkLegalAidReferral(Referral referral)
    {
        if (referral.CaseId != CaseId || referral.Type is not (ReferralType.Legal or ReferralType.PaternityAndChildSupport))
        {
            throw new DomainException(
                ErrorCodes.PaternityWrongReferral,
                $"Cannot link the {referral.Type} referral of case {referral.CaseNumber}: legal aid for this claim must be a Legal or PaternityAndChildSupport referral of the same case.");
        }

        LegalAidReferralId = referral.Id;
        Touch();
    }

    /// <summary>
    /// Keeps the claim going past the case's closure. Only a claim under way can be carried on; carrying it on again
    /// changes nothing, so a repeated click is harmless.
    /// </summary>
    public void CarryOn(string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person carrying the claim on");
        if (IsFinal)
        {
            throw new DomainException(
                ErrorCodes.PaternityInvalidTransition,
                $"Cannot carry on the paternity claim: it is {Status}, which is final.");
        }

        if (IsCarriedOn)
        {
            return;
        }

        CarriedOnAtUtc = clock.GetUtcDateTime();
        CarriedOnBy = by;
        Touch();
    }

    /// <summary>Closing unresolved needs a note saying why; other notes are optional.</summary>
    public void MoveTo(PaternityClaimStatus status, string by, TimeProvider clock, string? note = null)
    {
        Guard.UserId(by, "The person updating the claim");
        Guard.Defined(status, "Claim status");
        if (!AllowedNext(Status).Contains(status))
        {
            var allowed = AllowedNext(Status);
            throw new DomainException(
                ErrorCodes.PaternityInvalidTransition,
                allowed.Count == 0
                    ? $"Cannot move the paternity claim to {status}: it is {Status}, which is final."
                    : $"Cannot move the paternity claim to {status}: it is {Status}, from which it can only go to {string.Join(", ", allowed)}.");
        }

        var text = status == PaternityClaimStatus.ClosedUnresolved
            ? Guard.Required(note, "A note explaining why the claim is closed unresolved", NoteMaxLength)
            : Guard.Optional(note, "Note", NoteMaxLength);
        var now = clock.GetUtcDateTime();
        AddHistory(Status, status, by, now, text);
        Status = status;
        LastMovementAtUtc = now;
        Touch();
    }

    private static bool IsFinalStatus(PaternityClaimStatus status) => !Transitions.ContainsKey(status);

    private void AddHistory(PaternityClaimStatus? from, PaternityClaimStatus to, string by, DateTime now, string? note)
    {
        var sequence = _history.Count == 0 ? 1 : _history.Max(h => h.Sequence) + 1;
        _history.Add(new PaternityClaimStatusChange(sequence, from, to, by, now, note));
    }

}
