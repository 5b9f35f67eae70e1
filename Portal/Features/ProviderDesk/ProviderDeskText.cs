namespace Portal.Features.ProviderDesk;

/// <summary>Marker for the provider desk's resources (ProviderDeskText.resx, ProviderDeskText.fr.resx), the referral letter's included.</summary>
public sealed class ProviderDeskText;
