using Portal.Domain.Reminders;

namespace Portal.Features.Children;

/// <summary>The "Portal:Paternity" configuration section.</summary>
public sealed class PaternityOptions
{
    public const string Section = "Portal:Paternity";

    /// <summary>
    /// A paternity claim that has not moved for this many days is flagged: on the case page, in queues, on the dashboard
    /// and in the coordinators' weekly digest (all through <see cref="ReminderPolicy.PaternityClaimStaleAfter"/>).
    /// </summary>
    public int StaleAfterDays { get; set; } = (int)ReminderPolicy.DefaultPaternityClaimStaleAfter.TotalDays;
}

public static class ChildrenExtensions
{
    /// <summary>Children born of SEA and their paternity claims.</summary>
    public static IServiceCollection AddPortalChildren(this IServiceCollection services)
    {
        services.AddOptions<PaternityOptions>()
            .BindConfiguration(PaternityOptions.Section)
            .Validate(o => o.StaleAfterDays is > 0 and <= 36500, "Portal:Paternity:StaleAfterDays must be a number of days between 1 and 36500.")
            .ValidateOnStart();
        services.AddScoped<ChildService>();
        return services;
    }
}
