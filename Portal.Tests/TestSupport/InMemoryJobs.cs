using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Portal.Tests.TestSupport;

public static class InMemoryJobs
{
    /// <summary>
    /// Replaces the app's job storage with one in memory: nothing to clean up, no file to share. The portal itself
    /// knows only durable storages; this package is the tests' own.
    /// </summary>
    public static IServiceCollection UseInMemoryJobStorage(this IServiceCollection services)
    {
        services.RemoveAll<JobStorage>();
        services.AddSingleton<JobStorage>(_ => new InMemoryStorage(new InMemoryStorageOptions()));
        return services;
    }
}
