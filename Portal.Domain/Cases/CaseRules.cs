using Portal.Domain.Common;

namespace Portal.Domain.Cases;

/// <summary>Rules about cases that queries and pages both apply; see <see cref="Rule{T}"/>.</summary>
public static class CaseRules
{
    /// <summary>
    /// A new intake: opened from a request and not yet taken up by anyone. Cases further on that someone released are
    /// not new (they wait in "All cases", held by nobody); the New queue and the unclaimed-intake escalation both mean this.
    /// </summary>
    public static readonly Rule<Case> NewIntake = new(c => c.Status == CaseStatus.Intake && c.AssignedAdvocateId == null);
}
