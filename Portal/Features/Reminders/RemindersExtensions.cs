using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Jobs;

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

        // The policy (working hours of the stored countries, paternity threshold) is registered once, by AddPortalReferrals.
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
}
