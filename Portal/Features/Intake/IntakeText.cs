namespace Portal.Features.Intake;

/// <summary>
/// Marker for the public help pages' strings (IntakeText.resx and one file per language). Lingala (ln) and
/// Sango (sg) are drafts awaiting review by native speakers; the pages say so.
/// </summary>
public sealed class IntakeText;
