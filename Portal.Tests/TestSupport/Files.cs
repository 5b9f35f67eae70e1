namespace Portal.Tests.TestSupport;

public static class Files
{
    /// <summary>
    /// Waits until <paramref name="done"/> holds, looking again each time anything in <paramref name="folder"/> or below
    /// changes (a file created, written, moved into place: an e-mail dropped, a database commit to its WAL), never on a
    /// timer; fails with <paramref name="diagnostics"/> after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitForAsync(string folder, Func<bool> done, TimeSpan timeout, Func<string> diagnostics)
    {
        Directory.CreateDirectory(folder);
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = true };
        // Not SQLite's shared-memory index: reading the database to check the condition writes it.
        void Wake(object sender, FileSystemEventArgs e)
        {
            if (!e.Name!.EndsWith("-shm", StringComparison.Ordinal))
            {
                changed.Release();
            }
        }

        watcher.Created += Wake;
        watcher.Renamed += Wake;
        watcher.Changed += Wake;
        watcher.EnableRaisingEvents = true;
        using var deadline = new CancellationTokenSource(timeout);
        while (!done())
        {
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"What was awaited in {folder} did not happen within {timeout}:\n{diagnostics()}");
            }
        }
    }

    public static int Count(string folder, string pattern) => Directory.Exists(folder) ? Directory.GetFiles(folder, pattern).Length : 0;
}
