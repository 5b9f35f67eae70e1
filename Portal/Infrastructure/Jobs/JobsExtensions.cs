using Hangfire;
using Hangfire.AspNetCore;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// Hangfire through DI. The storage and the job activator are this app's own singletons rather than Hangfire's
    /// process-wide defaults, so that several apps in one process (tests, in-process nodes) never run each other's jobs.
    /// Code enqueues through <see cref="IBackgroundJobClient"/> and <see cref="IRecurringJobManager"/>, never the static API.
    /// </summary>
    public static WebApplicationBuilder AddPortalJobs(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(JobsOptions.Section);
        var options = section.Get<JobsOptions>() ?? new JobsOptions();
        var services = builder.Services;
        services.Configure<JobsOptions>(section);

        // Nodes that share a PostgreSQL database share its job queue too, unless configured otherwise: a job storage
        // file per node would give each node its own recurring scan and its own queue.
        var database = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        if (database.IsPostgres && string.IsNullOrEmpty(section[nameof(JobsOptions.Storage)]))
        {
            options.Storage = JobStorageKind.Postgres;
        }

        if (options.Storage == JobStorageKind.Postgres && string.IsNullOrEmpty(options.PostgresConnectionString) && database.IsPostgres)
        {
            options.PostgresConnectionString = database.ConnectionString;
        }

        services.AddSingleton(sp => JobStorages.Create(options, sp.GetRequiredService<PortalDataLocation>().Directory));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, configuration) => configuration
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (options.RunServer)
        {
            services.AddHangfireServer((_, server) =>
            {
                server.WorkerCount = Math.Max(1, options.WorkerCount);
                server.SchedulePollingInterval = options.SchedulePollingInterval;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs");
        return builder;
    }
}
