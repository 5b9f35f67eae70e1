using Portal.Features.Shared;
using Portal.Infrastructure.Security;

namespace Portal.Features.ProviderDesk;

public static class ProviderDeskExtensions
{
    /// <summary>The provider desk: the referrals a provider's staff read and answer, and the referral letter.</summary>
    public static IServiceCollection AddPortalProviderDesk(this IServiceCollection services)
    {
        services.AddScoped<ProviderDeskService>();
        services.AddSingleton<ReferralLetter>();
        return services;
    }

    /// <summary>The referral letter: under the desk for a provider's users, under /referrals for the office's staff.</summary>
    public static IEndpointRouteBuilder MapPortalProviderDesk(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ProviderDeskRoutes.Letter(PublicPaths.ProviderDesk + "/referrals", "{id:guid}"), LetterAsync);
        endpoints.MapGet(ProviderDeskRoutes.Letter("/referrals", "{id:guid}"), LetterAsync);
        return endpoints;
    }

    private static Task<IResult> LetterAsync(Guid id, HttpContext context, ICurrentUser currentUser, ProviderDeskService desk, CancellationToken cancellationToken) =>
        Downloads.SendAsync(context, currentUser, scope => desk.LetterAsync(scope, id, cancellationToken), cancellationToken);
}
