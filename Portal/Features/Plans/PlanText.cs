namespace Portal.Features.Plans;

/// <summary>Marker for the assessment and action-plan resources (PlanText.resx, PlanText.fr.resx).</summary>
public sealed class PlanText;
