using Microsoft.Playwright;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Real headless Chromium from the distribution (its headless shell unless PORTAL_CHROMIUM names another); Playwright
/// cannot download its own here.
/// </summary>
public static class Browser
{
    public static string ExecutablePath { get; } =
        Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium-headless-shell";

    /// <param name="extraArguments">More Chromium switches (the production tests map the portal's host name to loopback).</param>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArguments)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ExecutablePath}. Install the distribution package (apt-get install chromium-headless-shell) " +
                "or set PORTAL_CHROMIUM to a Chromium executable. End-to-end tests are never skipped.");
        }

        // A bound for failure, not a measure of speed: an expectation waits for its positive signal, and on a two-core
        // machine running a dozen test portals and their Chromiums at once, a live change can take longer than
        // Playwright's default five seconds to come through.
        Assertions.SetDefaultExpectTimeout(15_000);

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                .. extraArguments,
            ],
        });
    }
}
