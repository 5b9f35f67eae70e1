using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Domain.Reminders;
using Portal.Features.Children;
using Portal.Features.Providers;
using Portal.Infrastructure.Data;
using DomainCountries = Portal.Domain.Countries.Countries;

namespace Portal.Features.Referrals;

/// <summary>The "Portal:Paternity" configuration section.</summary>
public sealed class PaternityOptions
{
    public const string Section = "Portal:Paternity";

    /// <summary>A paternity claim that has not moved for this many days is flagged on the case page and in queues.</summary>
    public int StaleAfterDays { get; set; } = 180;
}

public static class ReferralsExtensions
{
    /// <summary>Referrals, follow-ups, service providers, children and paternity claims, and the reminder policy they plan with.</summary>
    public static IServiceCollection AddPortalReferrals(this IServiceCollection services)
    {
        services.AddOptions<PaternityOptions>()
            .BindConfiguration(PaternityOptions.Section)
            .Validate(o => o.StaleAfterDays is > 0 and <= 36500, "Portal:Paternity:StaleAfterDays must be a number of days between 1 and 36500.")
            .ValidateOnStart();

        // One policy for the whole app (the reminder jobs use the same one): only registered if nobody has yet.
        services.TryAddSingleton(CreateReminderPolicy);

        services.AddScoped<ReferralService>();
        services.AddScoped<FollowUpService>();
        services.AddScoped<ChildService>();
        services.AddScoped<ProviderService>();
        return services;
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
