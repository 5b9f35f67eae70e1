using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Referrals;

namespace Portal.Domain.Plans;

/// <summary>
/// One goal of the case's action plan: what should change for the person, which assessed needs it answers, and by when.
/// It is carried out through referrals (each referral knows the goal it serves, <see cref="Referral.GoalId"/>) and their
/// follow-ups. The advocate marks it achieved, or drops it with a reason (the person no longer wants it, it is met
/// otherwise). Its progress is worked out by <see cref="GoalProgress"/>.
/// </summary>
public sealed class PlanGoal : VersionedEntity
{
    public const int DescriptionMaxLength = 2000;
    public const int ReasonMaxLength = 2000;

    private readonly List<ReferralType> _needs = [];

    private PlanGoal()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    public string Description { get; private set; } = string.Empty;

    /// <summary>The kinds of assistance (assessed needs) the goal answers; a referral serves it only for one of them.</summary>
    public IReadOnlyList<ReferralType> Needs => _needs;

    public DateOnly? TargetDate { get; private set; }

    public GoalStatus Status { get; private set; }

    public string? DropReason { get; private set; }

    public DateTime? EndedAtUtc { get; private set; }

    public string? EndedBy { get; private set; }

    /// <summary>The coordinator who approved the goal as it reads now, where the country asks for approval; an edit clears it.</summary>
    public string? ApprovedBy { get; private set; }

    public DateTime? ApprovedAtUtc { get; private set; }

    public bool IsOpen => Status == GoalStatus.Open;

    public bool IsApproved => ApprovedBy is not null;

    public static PlanGoal Add(Case survivorCase, string description, IReadOnlyCollection<ReferralType> needs, DateOnly? targetDate, TimeProvider clock)
    {
        survivorCase.EnsureNotClosed("add a goal to the plan of");
        var goal = new PlanGoal { Id = Guid.CreateVersion7(), CaseId = survivorCase.Id, Status = GoalStatus.Open };
        goal.SetDetails(description, needs, targetDate, clock);
        return goal;
    }

    public void Edit(Case survivorCase, string description, IReadOnlyCollection<ReferralType> needs, DateOnly? targetDate, TimeProvider clock)
    {
        EnsureOpen(survivorCase, "edit");
        SetDetails(description, needs, targetDate, clock);
    }

    /// <summary>
    /// A coordinator's approval of the goal as it reads now. Approval is a second look, never a gate on help: referrals
    /// for an unapproved goal are sent as any other.
    /// </summary>
    public void Approve(Case survivorCase, string coordinatorId, TimeProvider clock)
    {
        EnsureOpen(survivorCase, "approve");
        ApprovedBy = Guard.UserId(coordinatorId, "Coordinator");
        ApprovedAtUtc = clock.GetUtcDateTime();
        Touch();
    }

    public void Achieve(Case survivorCase, string by, TimeProvider clock)
    {
        EnsureOpen(survivorCase, "mark achieved");
        End(GoalStatus.Achieved, reason: null, by, clock);
    }

    public void Drop(Case survivorCase, string reason, string by, TimeProvider clock)
    {
        EnsureOpen(survivorCase, "drop");
        End(GoalStatus.Dropped, Guard.Required(reason, "The reason for dropping the goal", ReasonMaxLength), by, clock);
    }

    /// <summary>Whether a referral of this type may serve the goal: the goal is open and answers that need.</summary>
    internal void EnsureServedBy(Referral referral)
    {
        if (referral.CaseId != CaseId)
        {
            throw new DomainException(ErrorCodes.GoalWrongCase, $"The {referral.Type} referral belongs to case {referral.CaseNumber}, not to this goal's case.");
        }

        if (!IsOpen)
        {
            throw new DomainException(ErrorCodes.GoalNotOpen, $"The goal is {Status}; a referral can serve only an open goal.");
        }

        if (!_needs.Contains(referral.Type))
        {
            throw new DomainException(ErrorCodes.GoalNeedMismatch, $"The goal does not answer a {referral.Type} need; add that need to the goal first.");
        }
    }

    private void SetDetails(string description, IReadOnlyCollection<ReferralType> needs, DateOnly? targetDate, TimeProvider clock)
    {
        var text = Guard.Required(description, "The goal", DescriptionMaxLength);
        if (needs.Count == 0)
        {
            throw new DomainException(ErrorCodes.Required, "A goal answers at least one assessed need.");
        }

        foreach (var need in needs)
        {
            Guard.Defined(need, "Need");
        }

        if (targetDate is { } target && target < DateOnly.FromDateTime(clock.GetUtcDateTime()) && target != TargetDate)
        {
            throw new DomainException(ErrorCodes.DateInPast, "The target date is in the past.");
        }

        Description = text;
        _needs.Clear();
        _needs.AddRange(needs.Distinct().Order());
        TargetDate = targetDate;
        ApprovedBy = null;
        ApprovedAtUtc = null;
        Touch();
    }

    private void EnsureOpen(Case survivorCase, string attempt)
    {
        survivorCase.EnsureNotClosed($"{attempt} a goal of");
        if (survivorCase.Id != CaseId)
        {
            throw new DomainException(ErrorCodes.GoalWrongCase, $"The goal belongs to another case than {survivorCase.Number}.");
        }

        if (!IsOpen)
        {
            throw new DomainException(ErrorCodes.GoalNotOpen, $"Cannot {attempt} the goal: it is {Status}.");
        }
    }

    private void End(GoalStatus status, string? reason, string by, TimeProvider clock)
    {
        Status = status;
        DropReason = reason;
        EndedBy = Guard.UserId(by, "The person ending the goal");
        EndedAtUtc = clock.GetUtcDateTime();
        Touch();
    }
}

public enum GoalStatus
{
    Open,
    Achieved,
    Dropped,
}
