using Portal.Benchmarks.Driver;

namespace Portal.Benchmarks.Scenarios;

/// <summary>Many headless circuits on one page, opened a few at a time so the server is not stampeded.</summary>
public sealed class CircuitPool : IAsyncDisposable
{
    private readonly Uri _page;
    private readonly Func<int, CircuitDriverOptions> _options;

    public CircuitPool(Uri page, Func<int, CircuitDriverOptions> options)
    {
        _page = page;
        _options = options;
    }

    public List<CircuitDriver> Drivers { get; } = [];

    /// <summary>Opens circuits until <paramref name="total"/> are open.</summary>
    public async Task GrowToAsync(int total, int parallelism = 8)
    {
        using var gate = new SemaphoreSlim(parallelism);
        var start = Drivers.Count;
        var opened = await Task.WhenAll(Enumerable.Range(start, Math.Max(0, total - start)).Select(async index =>
        {
            await gate.WaitAsync();
            try
            {
                return await CircuitDriver.OpenAsync(_page, _options(index));
            }
            finally
            {
                gate.Release();
            }
        }));
        Drivers.AddRange(opened);
    }

    public async ValueTask DisposeAsync()
    {
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Drivers.Select(async d =>
        {
            await gate.WaitAsync();
            try
            {
                await d.DisposeAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
        Drivers.Clear();
    }
}
