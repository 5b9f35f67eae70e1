namespace Portal.Features.Queues;

/// <summary>URL slugs of the built-in queues, shared by the page, the navigation and the dashboard links.</summary>
public static class QueueRoutes
{
    public static readonly IReadOnlyList<(QueueKind Kind, string Slug)> BuiltIn =
    [
        (QueueKind.NewIntakes, "new"),
        (QueueKind.MyCases, "mine"),
        (QueueKind.DueFollowUps, "due"),
        (QueueKind.AwaitingClosure, "closure"),
        (QueueKind.AllCases, "all"),
    ];

    public static string For(QueueKind kind) => "/queues/" + BuiltIn.First(q => q.Kind == kind).Slug;

    public static string ForSaved(Guid id) => $"/queues/saved/{id}";

    public static QueueKind? Parse(string? slug) =>
        BuiltIn.Where(q => string.Equals(q.Slug, slug, StringComparison.OrdinalIgnoreCase)).Select(q => (QueueKind?)q.Kind).FirstOrDefault();
}
