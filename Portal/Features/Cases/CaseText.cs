namespace Portal.Features.Cases;

/// <summary>Marker for the case workspace's resource files (CaseText.resx, CaseText.fr.resx).</summary>
public sealed class CaseText;
