namespace Portal.Features.Requests;

public static class RequestsExtensions
{
    /// <summary>The person's own words in a case, and the messages to them.</summary>
    public static IServiceCollection AddPortalRequests(this IServiceCollection services)
    {
        services.AddScoped<RequestService>();
        return services;
    }
}
