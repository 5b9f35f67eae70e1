namespace Portal.Features.Operations;

/// <summary>Marker for the console commands' strings (OperationsText.resx, OperationsText.fr.resx).</summary>
public sealed class OperationsText;
