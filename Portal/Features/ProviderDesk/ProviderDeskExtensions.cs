using Portal.Infrastructure.Security;

namespace Portal.Features.ProviderDesk;

public static class ProviderDeskExtensions
{
    /// <summary>The provider desk: the referrals a provider's staff read and answer, and the referral letter.</summary>
    public static IServiceCollection AddProviderDesk(this IServiceCollection services)
    {
        services.AddScoped<ProviderDeskService>();
        services.AddSingleton<ReferralLetter>();
        return services;
    }

    /// <summary>The referral letter: under the desk for a provider's users, under /referrals for the office's staff.</summary>
    public static IEndpointRouteBuilder MapProviderDesk(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ProviderDeskRoutes.Letter(PublicPaths.ProviderDesk + "/referrals", "{id:guid}"), LetterAsync);
        endpoints.MapGet(ProviderDeskRoutes.Letter("/referrals", "{id:guid}"), LetterAsync);
        return endpoints;
    }

    /// <summary>Always a download, never kept in a cache; the service decides who may have it and audits it.</summary>
    private static async Task<IResult> LetterAsync(Guid id, HttpContext context, ICurrentUser currentUser, ProviderDeskService desk, CancellationToken cancellationToken)
    {
        if (await currentUser.FindAsync(cancellationToken) is not { } scope)
        {
            return Results.Unauthorized();
        }

        if (await desk.LetterAsync(scope, id, cancellationToken) is not { } file)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(file.Content, "application/pdf", file.FileName);
    }
}
