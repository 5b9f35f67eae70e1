using Portal.Infrastructure.Security;

namespace Portal.Features.ProviderDesk;

/// <summary>The provider desk's addresses other pages link to.</summary>
public static class ProviderDeskRoutes
{
    /// <summary>A referral's page on the desk.</summary>
    public static string Referral(Guid id) => $"{PublicPaths.ProviderDesk}/referrals/{id}";

    /// <summary>The referral letter for a provider's users (<see cref="ForDesk"/>) or the office's staff (<see cref="ForStaff"/>).</summary>
    public static string ForDesk(Guid id) => Letter(PublicPaths.ProviderDesk + "/referrals", id);

    /// <inheritdoc cref="ForDesk"/>
    public static string ForStaff(Guid id) => Letter("/referrals", id);

    internal static string Letter(string under, object id) => $"{under}/{id}/letter.pdf";
}
