using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Features.Queues;

/// <summary>
/// Shares queue results between the open pages that show the same view (<see cref="LiveViewCache"/>): when a case
/// changes, every open queue page and navigation in its scope re-queries at about the same moment, and identical
/// requests then cost one query. <see cref="QueueService"/> still decides what a scope may see, and checks the viewer's
/// session before it asks here; this class says what a result depends on (its key) and which countries' events drop it
/// (its tags).
/// </summary>
public sealed class QueueViewCache(LiveViewCache views) : IDisposable
{
    /// <summary>Long enough for every open page to re-query after one change, short enough that nothing lingers.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(2);

    private const string Tag = "queues";

    /// <summary>A filter in the key names only what it sets: equal filters give equal text, and the key stays short.</summary>
    private static readonly JsonSerializerOptions FilterText = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    private readonly IDisposable _observation = views.Observe(TagsMovedBy);

    /// <summary>A page of a queue, shared with identical views of the same scope; <paramref name="query"/> reads it when none is fresh.</summary>
    public Task<QueuePage> GetPageAsync(UserScope scope, QueueRequest request, Func<CancellationToken, Task<QueuePage>> query, CancellationToken cancellationToken = default) =>
        views.GetAsync(PageView(scope, request), query, cancellationToken);

    /// <summary>The counts of the queues, shared between the pages of one user (My cases is theirs alone).</summary>
    public Task<QueueCounts> GetCountsAsync(UserScope scope, Func<CancellationToken, Task<QueueCounts>> query, CancellationToken cancellationToken = default) =>
        views.GetAsync(CountsView(scope), query, cancellationToken);

    public void Dispose() => _observation.Dispose();

    internal static LiveView PageView(UserScope scope, QueueRequest request) => new(
        string.Join(
            '|',
            "queue",
            ScopeKey(scope, QueueService.DependsOnViewer(request.Queue)),
            request.Queue,
            JsonSerializer.Serialize(request.Filter, FilterText),
            request.Sort,
            request.Descending,
            request.Page,
            request.PageSize,
            // Every value of the row the seek may compare (QueueKeyset), whatever the order.
            request.After is null ? "" : JsonSerializer.Serialize(request.After)),
        TagsOf(scope),
        DefaultMaxAge);

    internal static LiveView CountsView(UserScope scope) => new("queue-counts|" + ScopeKey(scope, perUser: true), TagsOf(scope), DefaultMaxAge);

    /// <summary>
    /// Everything of the viewer that <see cref="QueueService"/>'s queries depend on: roles (coordinators see other queues
    /// and every country), countries, and the user where the queue is theirs (<see cref="QueueService.DependsOnViewer"/>).
    /// </summary>
    internal static string ScopeKey(UserScope scope, bool perUser) =>
        string.Join(
            '|',
            perUser ? scope.UserId : "*",
            string.Join(',', scope.Roles.Order(StringComparer.Ordinal)),
            string.Join(',', scope.Countries.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal)));

    /// <summary>A result covers the viewer's countries, or every country; any of them drops it.</summary>
    internal static IReadOnlyList<string> TagsOf(UserScope scope) =>
        [Tag, .. scope.AllCountries ? [CountryTag(null)] : scope.Countries.Select(CountryTag)];

    /// <summary>Every event about cases can change a queue; a notification changes none. One without a country drops every result.</summary>
    internal static IReadOnlyCollection<string> TagsMovedBy(LiveEvent liveEvent) => liveEvent switch
    {
        // No queue shows notifications or documents.
        { Kind: LiveEventKind.NotificationCreated or LiveEventKind.NotificationRead or LiveEventKind.DocumentChanged } => [],
        _ when string.IsNullOrEmpty(liveEvent.CountryCode) => [Tag],
        _ => [CountryTag(liveEvent.CountryCode), CountryTag(null)],
    };

    /// <summary>The tag of one country's results, or (null) of the results that cover every country.</summary>
    private static string CountryTag(string? countryCode) => Tag + ":" + (countryCode?.ToUpperInvariant() ?? "all-countries");
}
