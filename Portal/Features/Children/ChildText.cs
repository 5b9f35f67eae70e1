using System.Globalization;
using Microsoft.Extensions.Localization;
using Portal.Domain.Children;

namespace Portal.Features.Children;

/// <summary>Marker for the children and paternity claims resources (ChildText.resx, ChildText.fr.resx); shared messages are in ReferralText.</summary>
public sealed class ChildText;

public static class ChildTextExtensions
{
    /// <summary>The claim's Member State by name in the viewer's language, or its neutral form for those not allowed.</summary>
    public static string MemberStateOf(this IStringLocalizer<ChildText> text, ClaimView claim) =>
        claim.MemberState?.NameIn(CultureInfo.CurrentUICulture.Name) ?? text["Claim_MemberStateNeutral", claim.NeutralNumber];
}
