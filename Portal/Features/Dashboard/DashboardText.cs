namespace Portal.Features.Dashboard;

/// <summary>Marker class for the dashboard's and reports' resources (DashboardText.resx, DashboardText.fr.resx).</summary>
public sealed class DashboardText;
