using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Features.Cases;
using Portal.Infrastructure.Live;

namespace Portal.Tests.Features.Live;

/// <summary>
/// A page's live-update callbacks run in the page's own execution context, never in that of whoever triggered them: a
/// French publisher with an HTTP context must not hand its culture or its request to an English subscriber's re-render.
/// Events from Redis are handed to the same <see cref="InProcessLiveEvents.Deliver"/>.
/// </summary>
public sealed class SubscriberContextTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly HttpContextAccessor _http = new();

    [Fact]
    public async Task A_subscriber_sees_its_own_culture_and_no_http_context_from_a_publisher_that_has_one()
    {
        var events = new InProcessLiveEvents(NullLogger<InProcessLiveEvents>.Instance);
        var seen = new TaskCompletionSource<Seen>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = await InFlowAsync("en-GB", withRequest: false, () => events.Subscribe(_ => true, _ =>
        {
            seen.TrySetResult(Now());
            return Task.CompletedTask;
        }));

        await InFlowAsync("fr-FR", withRequest: true, () => events.PublishAsync(new LiveEvent(LiveEventKind.NoteAdded, "CF", Guid.NewGuid())));

        Assert.Equal(new Seen("en-GB", "en-GB", null), await seen.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_coalescers_runs_keep_the_context_of_the_page_that_made_it()
    {
        var seen = new TaskCompletionSource<Seen>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var coalescer = await InFlowAsync("en-GB", withRequest: false, () => new Coalescer(TimeSpan.Zero, () =>
        {
            seen.TrySetResult(Now());
            return Task.CompletedTask;
        }));

        await InFlowAsync("fr-FR", withRequest: true, () =>
        {
            coalescer.Trigger();
            return 0;
        });

        Assert.Equal(new Seen("en-GB", "en-GB", null), await seen.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_presence_watcher_keeps_its_own_context_when_someone_else_joins_the_case()
    {
        var presence = new CasePresence(TimeProvider.System);
        var seen = new TaskCompletionSource<Seen>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await InFlowAsync("en-GB", withRequest: false, () => presence.Watch(_ => seen.TrySetResult(Now())));

        using var joined = await InFlowAsync("fr-FR", withRequest: true, () => presence.Join(Guid.NewGuid(), "advocate", "Amina Ndakala"));

        Assert.Equal(new Seen("en-GB", "en-GB", null), await seen.Task.WaitAsync(Bound));
    }

    private Seen Now() => new(CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name, _http.HttpContext);

    /// <summary>Runs <paramref name="action"/> in a flow of its own, with its culture and, if asked, a request of its own.</summary>
    private Task<T> InFlowAsync<T>(string culture, bool withRequest, Func<T> action) =>
        Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            _http.HttpContext = withRequest ? new DefaultHttpContext() : null;
            return action();
        });

    private Task InFlowAsync(string culture, bool withRequest, Func<Task> action) =>
        InFlowAsync<Task>(culture, withRequest, action).Unwrap();

    private sealed record Seen(string Culture, string UiCulture, HttpContext? Http);
}
