namespace Portal.Features.Shared;

public static class SharedExtensions
{
    /// <summary>The scope loading and the command path every case feature uses.</summary>
    public static IServiceCollection AddPortalCommandPath(this IServiceCollection services)
    {
        services.AddScoped<CaseScope>();
        services.AddScoped<CommandPath>();
        return services;
    }
}
