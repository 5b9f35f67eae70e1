namespace Portal.Infrastructure.Live;

/// <summary>
/// The execution context of whoever registered a callback (a page subscribing to live events, watching presence, or
/// making a coalescer), so that the callback runs in it and never in the context of whoever triggers it. An execution
/// context carries the culture, the HTTP context and anything else kept in async-locals: a callback started with a bare
/// <c>Task.Run</c> from a publisher's call would re-render another person's page in the publisher's language, with the
/// publisher's HTTP context at hand.
/// </summary>
public sealed class SubscriberContext
{
    /// <summary>Null when the registrant had nothing of its own (flow suppressed, or the default context).</summary>
    private readonly ExecutionContext? _context = ExecutionContext.Capture();

    /// <summary>Captures the calling code's context: call it where the callback is registered.</summary>
    public static SubscriberContext Capture() => new();

    /// <summary>Starts <paramref name="action"/> on the thread pool in the registrant's context; the caller's does not flow.</summary>
    public Task StartAsync(Func<Task> action)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return Task.Run(() => RunInContext(action));
        }

        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => RunInContext(action));
        }
    }

    /// <summary>Runs <paramref name="action"/> now, on the caller's thread, in the registrant's context.</summary>
    public void Run(Action action)
    {
        if (_context is null)
        {
            // Nothing of its own to run in, and the caller's must not leak: the default context, off this thread.
            _ = StartAsync(() =>
            {
                action();
                return Task.CompletedTask;
            });
            return;
        }

        ExecutionContext.Run(_context, static state => ((Action)state!)(), action);
    }

    private Task RunInContext(Func<Task> action)
    {
        if (_context is null)
        {
            return action();
        }

        Task? started = null;
        ExecutionContext.Run(_context, _ => started = action(), null);
        return started!;
    }
}
