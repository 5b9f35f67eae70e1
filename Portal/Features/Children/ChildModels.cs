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
/// A paternity claim's details. The Member State is given by its neutral number (7 becomes "Member State 07"): which
/// State is involved is sensitive. Legal aid is an existing Legal or PaternityAndChildSupport referral of the case.
/// </summary>
public sealed record ClaimInput(int? MemberStateNumber, IReadOnlyList<string> Jurisdictions, Guid? LegalAidReferralId);

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
public sealed record ClaimView(PaternityClaim Claim, bool IsStale, int DaysWithoutMovement, LegalAidLink? LegalAid, IReadOnlyList<PaternityClaimStatus> AllowedNext)
{
    /// <summary>The neutral number of the Member State label ("Member State 07" → 7), for editing.</summary>
    public int? MemberStateNumber =>
        int.TryParse(Claim.MemberStateLabel.AsSpan(Claim.MemberStateLabel.LastIndexOf(' ') + 1), out var number) ? number : null;
}

/// <summary>A referral that gives legal aid for a claim.</summary>
public sealed record LegalAidLink(Guid ReferralId, ReferralType Type, string ProviderName, ReferralStatus Status);
