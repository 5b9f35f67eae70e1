using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Referrals;

namespace Portal.Features.Children;

/// <summary>
/// A child as the form sends it: a pseudonym, never a name; a date of birth or only a birth year. An expected child (a
/// pregnancy) has the year and month the birth is expected instead of birth data.
/// </summary>
public sealed record ChildInput(
    string? Pseudonym,
    DateOnly? DateOfBirth,
    int? BirthYear,
    Sex? Sex,
    string? Needs,
    bool Expected = false,
    int? ExpectedYear = null,
    int? ExpectedMonth = null);

/// <summary>
/// A paternity claim's details. The Member State is chosen from the UN Member States and stored as its code (see
/// <see cref="MemberStates"/>). Legal aid is an existing Legal or PaternityAndChildSupport referral of the case.
/// </summary>
public sealed record ClaimInput(string? MemberStateCode, IReadOnlyList<string> Jurisdictions, Guid? LegalAidReferralId);

/// <summary>The children of one case and what this user may do with them.</summary>
public sealed record CaseChildList(
    Guid CaseId,
    bool CanEdit,
    int StaleAfterDays,
    IReadOnlyList<ChildView> Children,
    IReadOnlyList<LegalAidLink> LegalAidOptions,
    IReadOnlyDictionary<string, string> UserNames)
{
    public string NameOf(string? userId) => userId is null ? "" : UserNames.GetValueOrDefault(userId, userId);

    public int StaleClaimCount => Children.Sum(c => c.Claims.Count(p => p.IsStale));
}

public sealed record ChildView(Child Child, int? AgeInMonths, IReadOnlyList<ClaimView> Claims);

/// <param name="IsStale">No movement for the configured number of days (Portal:Paternity:StaleAfterDays) and not final.</param>
/// <param name="AllowedNext">The statuses the domain allows next; empty once final.</param>
/// <param name="MemberState">The Member State, for those allowed to know which it is; null for the others.</param>
/// <param name="NeutralNumber">
/// The Member State's neutral number within the case (1 for the first State its claims name, 2 for the next...), shown
/// to those not allowed to know which State it is: they can tell claims against the same State apart, and nothing more.
/// </param>
public sealed record ClaimView(
    PaternityClaim Claim,
    bool IsStale,
    int DaysWithoutMovement,
    LegalAidLink? LegalAid,
    IReadOnlyList<PaternityClaimStatus> AllowedNext,
    MemberState? MemberState,
    int NeutralNumber);

/// <summary>A referral that gives legal aid for a claim.</summary>
public sealed record LegalAidLink(Guid ReferralId, ReferralType Type, string ProviderName, ReferralStatus Status);
