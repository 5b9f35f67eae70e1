using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.FollowUps;
using Portal.Domain.Referrals;

namespace Portal.Domain.Cases;

public enum OpenWorkKind
{
    Referral,
    FollowUp,
    PaternityClaim,
    UnreadFromPerson,
}

/// <summary>One piece of work a closure would leave behind; <see cref="RecordId"/> is null for the person's unread words.</summary>
public sealed record OpenWorkItem(OpenWorkKind Kind, Guid? RecordId);

/// <summary>
/// What is still open on a case when someone asks to close it or approves the closure: referrals not completed or
/// withdrawn, follow-ups not done or cancelled, paternity claims under way that nobody chose to carry on, and words
/// from the person that nobody working the case has read. A case closes only when this is empty, so a closed case
/// leaves no work behind on any list; a carried-on claim is the one thing that outlives it, on purpose.
/// </summary>
public sealed class OpenWork
{
    private OpenWork(Guid caseId, IReadOnlyList<OpenWorkItem> unresolved, IReadOnlyList<Guid> carriedOnClaims)
    {
        CaseId = caseId;
        Unresolved = unresolved;
        CarriedOnClaimIds = carriedOnClaims;
    }

    public Guid CaseId { get; }

    /// <summary>Each item must be completed, withdrawn with a reason, or (a paternity claim) carried on before the case closes.</summary>
    public IReadOnlyList<OpenWorkItem> Unresolved { get; }

    /// <summary>Claims under way that will go on after the case closes, on the coordinators' lists.</summary>
    public IReadOnlyList<Guid> CarriedOnClaimIds { get; }

    public bool IsResolved => Unresolved.Count == 0;

    /// <summary>
    /// Sorts the case's records into what is unresolved and what is carried on. The records may include settled ones
    /// (the caller may pass every record of the case); a record of another case is a programming error and refused.
    /// </summary>
    public static OpenWork Of(
        Guid caseId,
        IEnumerable<Referral> referrals,
        IEnumerable<FollowUp> followUps,
        IEnumerable<PaternityClaim> claims,
        DateTime? unreadFromPersonSinceUtc)
    {
        var unresolved = new List<OpenWorkItem>();
        foreach (var referral in referrals)
        {
            EnsureSameCase(caseId, referral.CaseId, "referral");
            if (ReferralRules.Open.IsMetBy(referral))
            {
                unresolved.Add(new OpenWorkItem(OpenWorkKind.Referral, referral.Id));
            }
        }

        foreach (var followUp in followUps)
        {
            EnsureSameCase(caseId, followUp.CaseId, "follow-up");
            if (FollowUpRules.Open.IsMetBy(followUp))
            {
                unresolved.Add(new OpenWorkItem(OpenWorkKind.FollowUp, followUp.Id));
            }
        }

        var carriedOn = new List<Guid>();
        foreach (var claim in claims)
        {
            EnsureSameCase(caseId, claim.CaseId, "paternity claim");
            if (PaternityClaimRules.HoldsClosure.IsMetBy(claim))
            {
                unresolved.Add(new OpenWorkItem(OpenWorkKind.PaternityClaim, claim.Id));
            }
            else if (claim.IsCarriedOn)
            {
                carriedOn.Add(claim.Id);
            }
        }

        if (unreadFromPersonSinceUtc is not null)
        {
            unresolved.Add(new OpenWorkItem(OpenWorkKind.UnreadFromPerson, null));
        }

        return new OpenWork(caseId, unresolved, carriedOn);
    }

    /// <summary>Refuses the step while anything is unresolved, saying how much of each kind is left.</summary>
    internal void EnsureResolved(Case survivorCase, string attempt)
    {
        if (CaseId != survivorCase.Id)
        {
            throw new DomainException(
                ErrorCodes.CaseOpenWorkOtherCase,
                $"Cannot {attempt} case {survivorCase.Number}: the open work given belongs to another case.");
        }

        if (IsResolved)
        {
            return;
        }

        var counts = string.Join(", ", Unresolved.GroupBy(i => i.Kind).Select(g => $"{g.Count()} {g.Key}"));
        throw new DomainException(
            ErrorCodes.CaseOpenWork,
            $"Cannot {attempt} case {survivorCase.Number}: work is still open ({counts}); complete it, withdraw it with a reason, or carry a paternity claim on.");
    }

    private static void EnsureSameCase(Guid caseId, Guid recordCaseId, string what)
    {
        if (recordCaseId != caseId)
        {
            throw new DomainException(ErrorCodes.CaseOpenWorkOtherCase, $"A {what} of another case cannot count as open work of this one.");
        }
    }
}
