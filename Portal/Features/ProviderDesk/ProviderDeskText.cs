namespace Portal.Features.ProviderDesk;

/// <summary>Marker for the provider desk's resources (ProviderDeskText.resx, ProviderDeskText.fr.resx).</summary>
public sealed class ProviderDeskText;
