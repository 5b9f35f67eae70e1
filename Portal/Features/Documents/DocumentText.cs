namespace Portal.Features.Documents;

/// <summary>Marker for the documents' resources (DocumentText.resx, DocumentText.fr.resx).</summary>
public sealed class DocumentText;
