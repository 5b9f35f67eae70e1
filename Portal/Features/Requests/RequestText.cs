namespace Portal.Features.Requests;

/// <summary>Marker for the strings of the case's Request part (RequestText.resx, RequestText.fr.resx).</summary>
public sealed class RequestText;
