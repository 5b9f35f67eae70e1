namespace Portal.Features.Queues;

/// <summary>Marker for the queues' resource files (QueueText.resx, QueueText.fr.resx).</summary>
public sealed class QueueText;
