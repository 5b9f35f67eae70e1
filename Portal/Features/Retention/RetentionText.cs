namespace Portal.Features.Retention;

/// <summary>Marker for the retention resources (RetentionText.resx, RetentionText.fr.resx).</summary>
public sealed class RetentionText;
