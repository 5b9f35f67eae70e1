namespace Portal.Resources;

/// <summary>Marker for the shared resource files (SharedResource.resx, SharedResource.fr.resx).</summary>
public sealed class SharedResource;
