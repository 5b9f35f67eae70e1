using System.Diagnostics;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Waits for something that must happen and has no signal to await: a row count in another process's database, a file
/// in a pickup folder, a server answering. It polls the condition; how long it polls never decides the outcome (a
/// test needing "nothing happened" waits for a positive signal instead), and it fails with the given message when the
/// condition has not come true within the bound.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(50);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> failure, TimeSpan? every = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var poll = new PeriodicTimer(every ?? DefaultEvery);
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > within)
            {
                throw new TimeoutException(failure());
            }

            await poll.WaitForNextTickAsync();
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan within, Func<string> failure, TimeSpan? every = null) =>
        TrueAsync(() => Task.FromResult(condition()), within, failure, every);
}
