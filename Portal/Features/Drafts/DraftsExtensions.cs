using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Domain.Common;
using Portal.Domain.Drafts;
using Portal.Infrastructure.Data;

namespace Portal.Features.Drafts;

public static class DraftsExtensions
{
    /// <summary>The server-side store of what staff type into a case's forms and have not saved yet.</summary>
    public static WebApplicationBuilder AddPortalDrafts(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DraftOptions>(builder.Configuration.GetSection(DraftOptions.Section));
        builder.Services.AddScoped<DraftService>();
        builder.Services.AddTransient<DraftExpiryJob>();
        builder.Services.AddHostedService<DraftExpirySchedule>();
        return builder;
    }
}

/// <summary>The recurring deletion of drafts past their lifetime; the store never offers one anyway.</summary>
public sealed class DraftExpiryJob(IDbContextFactory<PortalDbContext> dbFactory, IOptions<DraftOptions> options, TimeProvider clock)
{
    /// <summary>Deletes every draft older than the configured lifetime; returns how many.</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Drafts.Where(DraftRules.Expired.For(options.Value.CutoffAt(clock.GetUtcDateTime()))).ExecuteDeleteAsync(cancellationToken);
    }
}

internal sealed class DraftExpirySchedule(IRecurringJobManager recurringJobs, IOptions<DraftOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurringJobs.AddOrUpdate<DraftExpiryJob>(
            DraftOptions.JobId,
            job => job.RunAsync(CancellationToken.None),
            options.Value.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
