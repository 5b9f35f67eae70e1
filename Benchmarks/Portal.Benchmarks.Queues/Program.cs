using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;
using Portal.Domain.Audit;
using Portal.Infrastructure.Audit;
using Portal.Domain.Reminders;
using Portal.Features.Dashboard;
using Portal.Features.Shared;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Infrastructure.Security;

namespace Portal.Benchmarks.Queues;

/// <summary>
/// Portal.Benchmarks.Queues DATA-FOLDER OUTPUT.json [--repeat N] [--deep-page N] [--dashboard-only]: measures the queues of the demo
/// advocate for CF and the demo coordinator, and the coordinator's dashboard, on a portal data folder (normally
/// bulk-loaded by ./bench.sh; --keep-data leaves it for runs of this program alone).
/// Portal.Benchmarks.Queues reminders DATA-FOLDER OUTPUT.json --storage Sqlite|InMemory ...: scenario 5, see
/// <see cref="ReminderScaleRunner"/>.
/// Portal.Benchmarks.Queues pow-flood OUTPUT.json ...: scenario 8's flood, see <see cref="PowFloodRunner"/>.
/// </summary>
public static class Program
{
    public const string Advocate = "advocate.cf@example.org";
    public const string Coordinator = "coordinator@example.org";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "reminders")
        {
            return await ReminderScaleRunner.MainAsync(args[1..]);
        }

        if (args.Length > 1 && args[0] == "pow-flood")
        {
            return await PowFloodRunner.MainAsync(args[1..]);
        }

        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("Usage: Portal.Benchmarks.Queues DATA-FOLDER OUTPUT.json [--repeat N] [--deep-page N] [--dashboard-only]");
            return 2;
        }

        var repeat = 5;
        var deepPage = 5000;
        var dashboardOnly = false;
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repeat":
                    repeat = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--dashboard-only":
                    dashboardOnly = true;
                    break;
                case "--deep-page":
                    deepPage = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown option '{args[i]}'.");
                    return 2;
            }
        }

        await using var host = BuildHost(args[0]);
        var factory = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var sessions = host.Services.GetRequiredService<SessionStore>();
        var users = new List<QueueUser>
        {
            new("advocate (CF)", await ScopeOfAsync(factory, sessions, Advocate), "CF"),
            new("coordinator", await ScopeOfAsync(factory, sessions, Coordinator), "CD"),
        };
        var runner = new QueueScaleRunner(host.Services.GetRequiredService<QueueService>(), PortalDatabase.FileIn(args[0]), repeat, deepPage, Console.WriteLine);
        var results = new List<QueueMeasurement>(dashboardOnly ? [] : await runner.RunAsync(users));
        results.AddRange(await MeasureDashboardAsync(runner, factory, host.Services.GetRequiredService<CaseScope>(), users[1].Scope, users[1].FilterCountry));
        await using var output = File.Create(args[1]);
        await JsonSerializer.SerializeAsync(output, results, QueueScaleScenario.Json);
        return 0;
    }

    /// <summary>
    /// The coordinators' figures as the dashboard page asks for them (its default period, all countries and one), then
    /// the annual summary of last year, all countries and one. Advocates see no figures: the service refuses them.
    /// </summary>
    public static async Task<IReadOnlyList<QueueMeasurement>> MeasureDashboardAsync(QueueScaleRunner runner, IDbContextFactory<PortalDbContext> factory, CaseScope cases, UserScope coordinator, string country)
    {
        var dashboard = new DashboardService(factory, TimeProvider.System, new NoAuditLog(), ReminderPolicy.Default, cases);
        var year = DateTime.UtcNow.Year - 1;
        return
        [
            await runner.MeasureComputationAsync("coordinator", DashboardWhat, "all countries, last 12 months",
                async token => (await dashboard.GetAsync(coordinator, new DashboardFilter(), token)).OpenTotal.Cases),
            .. await MeasureAfterChangesAsync(runner, factory, cases, coordinator, country),
            await runner.MeasureComputationAsync("coordinator", DashboardWhat, $"country {country}, last 12 months",
                async token => (await dashboard.GetAsync(coordinator, new DashboardFilter(country), token)).OpenTotal.Cases),
            await runner.MeasureComputationAsync("coordinator", DashboardWhat, "all countries, year to date",
                async token => (await dashboard.GetAsync(coordinator, new DashboardFilter(Period: DashboardPeriod.YearToDate), token)).OpenTotal.Cases),
            await runner.MeasureComputationAsync("coordinator", AnnualWhat, $"all countries, {year}",
                async token => (await dashboard.GetAnnualAsync(coordinator, year, null, token)).CasesOpened.Cases),
            await runner.MeasureComputationAsync("coordinator", AnnualWhat, $"country {country}, {year}",
                async token => (await dashboard.GetAnnualAsync(coordinator, year, country, token)).CasesOpened.Cases),
        ];
    }

    /// <summary>
    /// What an open dashboard computes after a change, with the portal's shared cache (DashboardFiguresCache), side by
    /// side with the full computation above: before each repetition the change's live event is delivered, as the portal
    /// delivers it after the commit. A claim recomputes every figure but the allegations, and reads that case's referrals
    /// of the period again (a case with referrals in the period), as a referral's change does; a change to a case's
    /// record (its allegation) also reads the allegations again.
    /// </summary>
    private static async Task<IReadOnlyList<QueueMeasurement>> MeasureAfterChangesAsync(QueueScaleRunner runner, IDbContextFactory<PortalDbContext> factory, CaseScope cases, UserScope coordinator, string country)
    {
        var clock = TimeProvider.System;
        Guid changedCase;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var since = DateTime.UtcNow.AddDays(-300);
            changedCase = await db.Referrals.Where(r => r.SentAtUtc >= since).OrderBy(r => r.SentAtUtc).Select(r => r.CaseId).FirstAsync();
        }

        // The portal's own registration of the live events and of the cache they keep current.
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddPortalLiveEvents();
        await using var provider = services.BuildServiceProvider();
        var events = provider.GetRequiredService<InProcessLiveEvents>();
        using var cache = new DashboardFiguresCache(provider.GetRequiredService<LiveViewCache>(), events, clock);
        var shared = new DashboardService(factory, clock, new NoAuditLog(), ReminderPolicy.Default, cases, cache);
        await shared.GetAsync(coordinator, new DashboardFilter()); // the view is open: its rows are held

        // What the view's rows take: the same read, held, between two full collections.
        var period = new DashboardFilter().Resolve(DateTime.UtcNow);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        ReferralRows rows;
        await using (var db = await factory.CreateDbContextAsync())
        {
            rows = await ReferralRows.ReadAsync(db, db.Referrals.Where(r => r.SentAtUtc >= period.FromUtc && r.SentAtUtc < period.UntilUtc), CancellationToken.None);
        }

        var held = (GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / 1024.0 / 1024.0;
        var heldRows = rows.Count;
        GC.KeepAlive(rows);
        var results = new List<QueueMeasurement>();
        var (all, one) = (new DashboardFilter(), new DashboardFilter(country));
        await shared.GetAsync(coordinator, one);
        foreach (var (variant, filter, change) in new[]
                 {
                     ("all countries, last 12 months, after a claim (shared cache)", all, new LiveEvent(LiveEventKind.CaseClaimed, "CF", changedCase)),
                     (string.Create(CultureInfo.InvariantCulture, $"all countries, last 12 months, after a referral's change (shared cache; the view's rows, {heldRows:N0} referrals, take {held:0.0} MB)"),
                         all, new LiveEvent(LiveEventKind.ReferralChanged, "CF", changedCase, Guid.NewGuid())),
                     ("all countries, last 12 months, after a change to a case's record (shared cache: the allegations read again)", all, new LiveEvent(LiveEventKind.CaseChanged, "CF", changedCase)),
                     ($"country {country}, last 12 months, after a change to a case's record (shared cache: the allegations read again)", one, new LiveEvent(LiveEventKind.CaseChanged, country, changedCase)),
                 })
        {
            results.Add(await runner.MeasureComputationAsync("coordinator", DashboardWhat, variant, async token =>
            {
                events.Deliver(change);
                return (await shared.GetAsync(coordinator, filter, token)).OpenTotal.Cases;
            }));
        }

        return results;
    }

    public const string DashboardWhat = "dashboard";
    public const string AnnualWhat = "annual summary";

    /// <summary>
    /// The portal's data registration (the same SQLite connection string, interceptors and model, Data Protection
    /// keys from the data folder for the protected columns) and its QueueService, which checks each viewer's server-side
    /// session as on a page; nothing else of the web app.
    /// </summary>
    public static WebApplication BuildHost(string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = dataDirectory });
        builder.Configuration["Portal:DataDirectory"] = dataDirectory;
        builder.Logging.ClearProviders();
        builder.AddPortalDataProtection();
        builder.AddPortalData();
        builder.Services.AddSingleton(ReminderPolicy.Default);
        builder.Services.AddPortalLiveEvents();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<IAuditLog, NoAuditLog>();
        builder.Services.AddSingleton<CaseScope>();
        builder.Services.AddSingleton<QueueService>();
        return builder.Build();
    }

    /// <summary>The user's scope as sign-in makes it, with a server-side session of its own.</summary>
    public static async Task<UserScope> ScopeOfAsync(IDbContextFactory<PortalDbContext> factory, SessionStore sessions, string userName)
    {
        await using var db = await factory.CreateDbContextAsync();
        var normalized = userName.ToUpperInvariant();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized)
                   ?? throw new InvalidOperationException($"{userName} is not in this database; the portal seeds it in Development.");
        var roles = await db.UserRoles.Where(ur => ur.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync();
        return new UserScope(user.Id, user.UserName!, user.DisplayName, roles, user.Countries, await sessions.StartAsync(user.Id));
    }
}

/// <summary>The dashboard and the queues record only refusals, and the benchmark asks only with open sessions, as a coordinator for the figures.</summary>
internal sealed class NoAuditLog : IAuditLog
{
    public Task RecordAsync(AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordAsAsync(AuditActor actor, AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<AuditEntry>> GetForRecordAsync(string recordType, string recordId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuditChainVerification> VerifyChainAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
