using Microsoft.Extensions.Logging;
using Portal.Infrastructure.Jobs;

namespace Portal.Tests.Integration.Reminders;

/// <summary>
/// Hangfire's log provider is a process-wide static that each host replaces with its own; a job enqueued after the
/// last host to set it has stopped used to fail with "Cannot access a disposed object: LoggerFactory".
/// </summary>
public sealed class HostLogProviderTests
{
    [Fact]
    public void A_stopped_hosts_logger_factory_gives_a_silent_logger_instead_of_failing()
    {
        var factory = LoggerFactory.Create(_ => { });
        var provider = new HostLogProvider(factory);
        Assert.NotNull(provider.GetLogger("before"));

        factory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => factory.CreateLogger("after"));

        var logger = provider.GetLogger("after");
        Assert.False(logger.Log(Hangfire.Logging.LogLevel.Info, () => "not written"));
    }
}
