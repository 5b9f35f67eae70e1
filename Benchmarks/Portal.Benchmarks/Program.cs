using Portal.Benchmarks.Driver;

namespace Portal.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "run";
        switch (command)
        {
            case "dump":
                await using (var d = await CircuitDriver.OpenAsync(new Uri(args[1]), new CircuitDriverOptions()))
                {
                    await d.WaitForQuietAsync(TimeSpan.FromMilliseconds(500));
                    void Print(RenderNode n, int depth)
                    {
                        Console.WriteLine(new string(' ', depth * 2) + n.ToString().Replace("\n", " ", StringComparison.Ordinal)[..Math.Min(160, n.ToString().Length)] + (n.EventHandlers.Count > 0 ? " handlers:" + string.Join(",", n.EventHandlers) : ""));
                        foreach (var c in n.Children)
                        {
                            Print(c, depth + 1);
                        }
                    }

                    foreach (var r in d.Tree.Roots)
                    {
                        Print(r, 0);
                    }
                }

                return 0;
            case "probe":
                await using (var driver = await CircuitDriver.OpenAsync(new Uri(args[1]), new CircuitDriverOptions { ReadyTestId = "circuit-ready", Trace = Console.WriteLine }))
                {
                    await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(300));
                    Console.WriteLine($"circuit {driver.CircuitId[..8]} batches {driver.BatchesReceived}");
                    Console.WriteLine("title: " + driver.Tree.FindByTestId("app-title")?.TextContent());
                    for (var i = 0; i < 5; i++)
                    {
                        var latency = await driver.ClickAsync(args.Length > 2 ? args[2] : "theme-toggle");
                        Console.WriteLine($"click -> batch {latency.TotalMilliseconds:F2} ms");
                        await driver.WaitForQuietAsync(TimeSpan.FromMilliseconds(100));
                    }

                    Console.WriteLine("errors: " + string.Join("; ", driver.Errors));
                }

                return 0;
            default:
                Console.Error.WriteLine("unknown command " + command);
                return 2;
        }
    }
}
