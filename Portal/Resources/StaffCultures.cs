namespace Portal.Resources;

/// <summary>The languages of the staff pages, which every resource file is translated into; the public help pages have their own (PublicCultures).</summary>
public static class StaffCultures
{
    public static readonly IReadOnlyList<string> All = ["en", "fr"];
}
