namespace Portal.Features.Queues;

/// <summary>The URLs of the queues, shared by the page, the navigation and other features' links (the dashboard's figures).</summary>
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

    /// <summary>The link to a built-in queue narrowed by <paramref name="filter"/>, which opens exactly the cases it means.</summary>
    public static string For(QueueKind kind, QueueFilter filter) => For(kind) + QueueQuery.ToQueryString(filter);

    public static string ForSaved(Guid id) => $"/queues/saved/{id}";

    /// <summary>A saved queue in another order than the one it was saved with.</summary>
    public static string ForSaved(Guid id, QueueOrder order) => ForSaved(id) + QueueQuery.ToQueryString(QueueFilter.None, order);

    public static QueueKind? Parse(string? slug) =>
        BuiltIn.Where(q => string.Equals(q.Slug, slug, StringComparison.OrdinalIgnoreCase)).Select(q => (QueueKind?)q.Kind).FirstOrDefault();
}
