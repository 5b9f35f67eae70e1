using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// What a page fetched over HTTP, with the bytes that crossed the wire (headers and body as encoded), recorded as each
/// request finishes. <see cref="Take"/> hands over what was recorded so far and starts afresh.
/// </summary>
public sealed class WireLog
{
    private static readonly HashSet<string> AssetTypes = ["stylesheet", "script", "font", "image", "media"];
    private readonly ConcurrentQueue<Task<Fetched>> _fetched = new();

    private WireLog(IPage page) =>
        page.RequestFinished += (_, request) => _fetched.Enqueue(ReadAsync(request));

    public static WireLog On(IPage page) => new(page);

    public async Task<IReadOnlyList<Fetched>> Take()
    {
        var taken = new List<Fetched>();
        while (_fetched.TryDequeue(out var next))
        {
            taken.Add(await next);
        }

        return taken;
    }

    private static async Task<Fetched> ReadAsync(IRequest request)
    {
        var response = await request.ResponseAsync();
        var sizes = await request.SizesAsync();
        var headers = response is null ? new Dictionary<string, string>() : await response.AllHeadersAsync();
        return new Fetched(
            new Uri(request.Url),
            request.ResourceType,
            response?.Status ?? 0,
            headers.GetValueOrDefault("content-encoding"),
            headers.GetValueOrDefault("cache-control"),
            sizes.ResponseHeadersSize + sizes.ResponseBodySize);
    }

    public sealed record Fetched(Uri Url, string ResourceType, int Status, string? ContentEncoding, string? CacheControl, long WireBytes)
    {
        // A static page prefetches the staff pages' scripts, which Chromium reports as "other".
        public bool IsStaticAsset => AssetTypes.Contains(ResourceType)
            || (ResourceType == "other" && Path.GetExtension(Url.AbsolutePath) is ".js" or ".css");
    }
}
