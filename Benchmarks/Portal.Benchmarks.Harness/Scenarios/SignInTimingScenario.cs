using System.Diagnostics;
using System.Globalization;
using System.Text;
using Portal.Benchmarks.Driver;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Reporting;

namespace Portal.Benchmarks.Scenarios;

/// <param name="Busy">Other clients posting wrong passwords back to back meanwhile (0: the portal is otherwise idle).</param>
public sealed record SignInTimingRun(int Busy, LatencySummary WrongPassword, LatencySummary UnknownName)
{
    /// <summary>How far apart the two kinds of answer are at the median, in milliseconds.</summary>
    public double MedianGap => Math.Abs(WrongPassword.P50 - UnknownName.P50);
}

/// <summary>
/// Scenario 7: can an unknown user name be told from a wrong password by how long the password step takes to answer?
/// One client alternates the two, round after round, and times each POST (the GET of the form is not timed); the
/// portal verifies one password hash either way and pads every answer to its minimum duration. Tests assert the same
/// page, the same hash work and the floor; the spread of real answer times is measured here.
/// </summary>
public static class SignInTimingScenario
{
    /// <summary>The portal's default minimum answer time, set explicitly so the report states what was measured.</summary>
    public static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(400);

    private const string WrongPassword = "not-the-password-of-this-account";

    /// <summary>Limits out of the way: the account stays unlocked (every wrong password takes the password path) and no post is refused.</summary>
    public static Dictionary<string, string> PortalSettings() => new()
    {
        ["Portal:Security:SignInMinimumDuration"] = Floor.ToString("c", CultureInfo.InvariantCulture),
        ["Portal:Security:MaxFailedAccessAttempts"] = "1000000",
        ["Portal:Security:AccountFailuresBeforeCodeProof"] = "1000000",
        ["Portal:Security:LoginRateLimit:PerAddressPermitLimit"] = "1000000",
    };

    public static async Task<SignInTimingRun> RunAsync(Uri baseUri, int rounds, int busy, Action<string> log)
    {
        using var stop = new CancellationTokenSource();
        var background = Enumerable.Range(0, busy).Select(i => KeepPostingAsync(baseUri, i, stop.Token)).ToList();
        try
        {
            using var client = new BrowserSession(baseUri);
            var wrong = new List<TimeSpan>();
            var unknown = new List<TimeSpan>();
            const int warmUp = 3;
            for (var round = 0; round < warmUp + rounds; round++)
            {
                var wrongTime = await TimedPostAsync(client.Http, baseUri, PortalAccounts.AdvocateCf);
                var unknownTime = await TimedPostAsync(client.Http, baseUri, $"nobody.{round}@example.org");
                if (round >= warmUp)
                {
                    wrong.Add(wrongTime);
                    unknown.Add(unknownTime);
                }
            }

            var run = new SignInTimingRun(busy, LatencySummary.Of(wrong), LatencySummary.Of(unknown));
            log($"sign-in answers with {busy} busy clients: wrong password {run.WrongPassword}, unknown name {run.UnknownName}");
            return run;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(background);
        }
    }

    public static ScenarioReport Report(IReadOnlyList<SignInTimingRun> runs, int rounds)
    {
        var figures = new StringBuilder();
        figures.AppendLine("| other clients posting | answer to | p50 | p95 | p99 | max |");
        figures.AppendLine("|---:|---|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            figures.AppendLine($"| {run.Busy} | a demo account's name, wrong password | {Format.Ms(run.WrongPassword.P50)} | {Format.Ms(run.WrongPassword.P95)} | {Format.Ms(run.WrongPassword.P99)} | {Format.Ms(run.WrongPassword.Max)} |");
            figures.AppendLine($"| {run.Busy} | an unknown name | {Format.Ms(run.UnknownName.P50)} | {Format.Ms(run.UnknownName.P95)} | {Format.Ms(run.UnknownName.P99)} | {Format.Ms(run.UnknownName.Max)} |");
        }

        var floor = Floor.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        var comparison = string.Join("\n", runs.Select(r =>
            $"- {r.Busy} other clients: medians {Format.Ms(r.MedianGap)} apart ({Format.Ratio(r.MedianGap / Floor.TotalMilliseconds)} of the {floor} ms floor); " +
            (AtOrAboveFloor(r) ? "both at or above the floor." : "**one kind answers below the floor**.")));

        var headline = new StringBuilder();
        headline.AppendLine("| other clients posting | wrong password, p50 | unknown name, p50 | medians apart |");
        headline.AppendLine("|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            headline.AppendLine($"| {run.Busy} | {Format.Ms(run.WrongPassword.P50)} | {Format.Ms(run.UnknownName.P50)} | {Format.Ms(run.MedianGap)} |");
        }

        var widest = runs.Count == 0 ? null : runs.MaxBy(r => r.MedianGap);
        var summary = new ScenarioSummary(
            $"An unknown user name cannot be told from a wrong password by how long the sign-in form takes to answer: medians within a small fraction of the {floor} ms floor, neither below it.",
            headline.ToString(),
            widest is null
                ? "Nothing was measured in this run."
                : $"The medians were at most {Format.Ms(widest.MedianGap)} apart ({Format.Ratio(widest.MedianGap / Floor.TotalMilliseconds)} of the floor, with {widest.Busy} other clients posting); " +
                  (runs.All(AtOrAboveFloor) ? "every median was at or above the floor." : "**a median was below the floor**."));
        return new ScenarioReport(
            "7. Sign-in answer times",
            summary,
            $"The portal as its own process (Development, demo accounts; lockout and sign-in rate limits set out of the way). One client alternates a demo " +
            $"account's name with a wrong password and an unknown name, {rounds} rounds after 3 unmeasured, timing each POST of the sign-in form to its " +
            $"answer; then the same while other clients post wrong passwords back to back. Both answers verify one password hash and are padded to " +
            $"`Portal:Security:SignInMinimumDuration` ({floor} ms).",
            figures.ToString(),
            comparison,
            "`./bench.sh --only signin`.");
    }

    private static bool AtOrAboveFloor(SignInTimingRun run) =>
        run.WrongPassword.P50 >= Floor.TotalMilliseconds && run.UnknownName.P50 >= Floor.TotalMilliseconds;

    private static async Task<TimeSpan> TimedPostAsync(HttpClient http, Uri baseUri, string userName, CancellationToken cancellationToken = default)
    {
        var (target, values) = await StaticForm.FillAsync(http, new Uri(baseUri, PortalAccounts.LoginPath.TrimStart('/')), new Dictionary<string, string>
        {
            ["Input.UserName"] = userName,
            ["Input.Password"] = WrongPassword,
        }, formName: "login", cancellationToken);
        using var content = new FormUrlEncodedContent(values);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync(target, content, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The sign-in form answered HTTP {(int)response.StatusCode} for {userName}.");
        }

        return elapsed;
    }

    private static async Task KeepPostingAsync(Uri baseUri, int client, CancellationToken stop)
    {
        using var session = new BrowserSession(baseUri);
        var userName = client % 2 == 0 ? PortalAccounts.SecondAdvocateCf : $"someone.else.{client}@example.org";
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await TimedPostAsync(session.Http, baseUri, userName, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
