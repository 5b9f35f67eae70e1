using Portal.Features.Shared;

namespace Portal.Features.Plans;

/// <summary>The "Portal:Plans" configuration section.</summary>
public sealed class PlanOptions
{
    public const string Section = "Portal:Plans";

    /// <summary>An assessment not reviewed for this many days is flagged on the case page as due for review.</summary>
    public int ReviewAssessmentAfterDays { get; set; } = 90;

    /// <summary>
    /// The countries (ISO codes) whose action-plan goals a coordinator approves. None by default. Approval is a second
    /// look and never holds up a referral.
    /// </summary>
    public List<string> ApprovalCountries { get; set; } = [];

    public bool NeedsApproval(string countryCode) => ApprovalCountries.Contains(countryCode, StringComparer.OrdinalIgnoreCase);
}

public static class PlansExtensions
{
    /// <summary>The assessment and the action plan of a case, and the next steps the case page suggests.</summary>
    public static IServiceCollection AddPortalPlans(this IServiceCollection services)
    {
        services.AddOptions<PlanOptions>()
            .BindConfiguration(PlanOptions.Section)
            .Validate(o => o.ReviewAssessmentAfterDays is > 0 and <= 3650, "Portal:Plans:ReviewAssessmentAfterDays must be a number of days between 1 and 3650.")
            .ValidateOnStart();
        services.AddScoped<PlanService>();
        services.AddSingleton<ICaseEraser, PlanEraser>();
        return services;
    }
}
