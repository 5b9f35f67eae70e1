namespace Portal.Features.Intake;

/// <summary>
/// Marks a page of the public help area: App renders it with the light public head (no MudBlazor, no
/// blazor.web.js) and the public pages' middleware gives it its language, headers and limits.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublicHelpPageAttribute : Attribute
{
    public const string PathPrefix = "/help";

    public static bool IsOn(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<PublicHelpPageAttribute>() is not null;

    public static bool IsPublicPath(PathString path) => path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);
}
