namespace Portal.Features.Admin;

/// <summary>Marker for the administration pages' strings (AdminText.resx, AdminText.fr.resx).</summary>
public sealed class AdminText;
