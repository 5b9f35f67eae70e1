namespace Portal.Features.Admin;

public static class AdminExtensions
{
    public static IServiceCollection AddPortalUserAdministration(this IServiceCollection services) =>
        services.AddScoped<UserAdministrationService>()
            .AddScoped<ProviderInvitationEmail>();
}
