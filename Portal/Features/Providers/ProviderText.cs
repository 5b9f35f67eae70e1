namespace Portal.Features.Providers;

/// <summary>Marker for the provider administration resources (ProviderText.resx, ProviderText.fr.resx).</summary>
public sealed class ProviderText;
