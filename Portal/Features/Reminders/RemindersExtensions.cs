using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Domain.Reminders;
using Portal.Features.Children;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Jobs;
using DomainCountries = Portal.Domain.Countries.Countries;

namespace Portal.Features.Reminders;

public static class RemindersExtensions
{
    /// <summary>Jobs (Hangfire), e-mail, the recurring reminder scan, deliveries and the in-app notifications.</summary>
    public static WebApplicationBuilder AddPortalReminders(this WebApplicationBuilder builder)
    {
        // E-mail first: its start-up removes what a killed portal left half-written, before the job server's workers
        // (started in registration order) write anything.
        var services = builder.Services;
        services.AddPortalEmail(builder.Configuration);
        builder.AddPortalJobs();
        services.Configure<ReminderOptions>(builder.Configuration.GetSection(ReminderOptions.Section));
        services.PostConfigure<ReminderOptions>(options =>
        {
            if (builder.Configuration["Portal:PublicBaseUrl"] is { Length: > 0 } url)
            {
                options.PublicBaseUrl = url;
            }
        });

        // One policy for the whole app: referrals plan with it, the jobs remind with it, queues and pages flag with it.
        // Only registered if nobody has yet (tests bring their own).
        services.TryAddSingleton(CreateReminderPolicy);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReminderMessages>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<ReminderScanner>();
        services.AddSingleton<ReminderScanGate>();
        services.AddTransient<ReminderScanJob>();
        services.AddTransient<ReminderRedispatchJob>();
        services.AddTransient<DeliveryJob>();
        services.AddScoped<NotificationService>();
        services.AddHostedService<ReminderSchedule>();
        return builder;
    }

    /// <summary>
    /// Default timings with the working hours of the stored countries (so a country an administrator added is covered
    /// from the next start), and the paternity threshold from configuration.
    /// </summary>
    private static ReminderPolicy CreateReminderPolicy(IServiceProvider services)
    {
        using var db = services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var stored = db.Countries.AsNoTracking().ToList();
        var hours = ReminderPolicy.ForCountries(stored.Count > 0 ? stored : DomainCountries.Defaults).WorkingHours;
        var staleAfterDays = services.GetRequiredService<IOptions<PaternityOptions>>().Value.StaleAfterDays;
        return new ReminderPolicy { WorkingHours = hours, PaternityClaimStaleAfter = TimeSpan.FromDays(staleAfterDays) };
    }
}
