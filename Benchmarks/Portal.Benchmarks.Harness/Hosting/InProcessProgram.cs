using System.Diagnostics;
using System.Text;

namespace Portal.Benchmarks.Hosting;

/// <summary>
/// Runs Portal.Benchmarks.Queues (built next to this program), the console program that references the portal and
/// runs its services in-process on a data folder: queue measurements, reminders. Its output lines go to the log.
/// </summary>
public static class InProcessProgram
{
    public static async Task RunAsync(IReadOnlyList<string> arguments, Action<string> log)
    {
        var program = Path.Combine(RepositoryPaths.Root, "Benchmarks", "Portal.Benchmarks.Queues", "bin", RepositoryPaths.Configuration, "net10.0", "Portal.Benchmarks.Queues.dll");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"The in-process benchmark program is not built at {program}; build Portal.sln first.");
        }

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                log(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments.Take(1))} failed with exit code {process.ExitCode}:\n{errors}");
        }
    }
}
