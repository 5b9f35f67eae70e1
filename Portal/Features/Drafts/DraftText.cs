namespace Portal.Features.Drafts;

/// <summary>Marker for the drafts' resource files (DraftText.resx, DraftText.fr.resx).</summary>
public sealed class DraftText;
