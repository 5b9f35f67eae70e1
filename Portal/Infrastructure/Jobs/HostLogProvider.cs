using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Portal.Infrastructure.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (a static), and the loggers it hands out are cached in job filter
/// attributes for the life of the process. Each host sets it to its own logger factory; when a host stops while the
/// process lives on (several apps in one test process, an in-process restart), a later job creation in another
/// host would ask the stopped host's disposed factory for a logger and fail to enqueue the job. This provider asks
/// the factory as Hangfire's own does and, once that factory is gone, hands out a silent logger instead of failing.
/// </summary>
public sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
