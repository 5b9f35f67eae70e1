using Hangfire;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Data;

namespace Portal.Features.Health;

/// <summary>
/// Every heartbeat interval, one small write to the job storage (one field of one hash, which every node overwrites),
/// through Hangfire's own storage API so that it works on every storage. A write that does not finish within the write timeout
/// counts as failed; a stuck one is waited for by the next probe instead of starting another.
/// </summary>
public sealed class JobStorageWriteProbe(JobStorage storage, PortalNode node, IOptions<NodeOptions> options, TimeProvider clock, ILogger<JobStorageWriteProbe> logger) : BackgroundService
{
    private readonly SemaphoreSlim _probing = new(1, 1);
    private Task? _write;

    public WriteProbeResult? Latest { get; private set; }

    public async Task<WriteProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        await _probing.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            _write ??= Task.Run(() => Write(now), CancellationToken.None);
            try
            {
                await _write.WaitAsync(options.Value.WriteTimeout, clock, cancellationToken);
                Latest = new WriteProbeResult(true, now, null);
                _write = null;
            }
            catch (TimeoutException)
            {
                Latest = new WriteProbeResult(false, now, $"a write did not finish within {options.Value.WriteTimeout.TotalSeconds:0.#} s");
                logger.LogWarning("The portal cannot write to its job storage: {Problem}", Latest.Problem);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _write = null;
                Latest = new WriteProbeResult(false, now, "the write failed (the portal's log says why)"); // /health answers anyone
                logger.LogWarning(ex, "The portal cannot write to its job storage.");
            }

            return Latest;
        }
        finally
        {
            _probing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, clock);
        do
        {
            await ProbeAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private void Write(DateTimeOffset now)
    {
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash("portal:write-probe", [new KeyValuePair<string, string>("last", $"{node.Id} {now:O}")]);
        transaction.Commit();
    }

    public override void Dispose()
    {
        _probing.Dispose();
        base.Dispose();
    }
}
