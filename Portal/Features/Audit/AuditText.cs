namespace Portal.Features.Audit;

/// <summary>Marker for the audit components' strings (AuditText.resx, AuditText.fr.resx).</summary>
public sealed class AuditText;
