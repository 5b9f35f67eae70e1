namespace Portal.Features.Children;

/// <summary>Marker for the children and paternity claims resources (ChildText.resx, ChildText.fr.resx); shared messages are in ReferralText.</summary>
public sealed class ChildText;
