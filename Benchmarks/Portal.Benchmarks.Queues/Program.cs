using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Benchmarks.Hosting;
using Portal.Benchmarks.Scenarios;
using Portal.Features.Queues;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Benchmarks.Queues;

/// <summary>
/// Portal.Benchmarks.Queues DATA-FOLDER OUTPUT.json [--repeat N] [--deep-page N]: measures the queues of the demo
/// advocate for CF and the demo coordinator on a portal data folder (normally bulk-loaded by ./bench.sh).
/// Portal.Benchmarks.Queues reminders DATA-FOLDER OUTPUT.json --storage Sqlite|InMemory ...: scenario 5, see
/// <see cref="ReminderScaleRunner"/>.
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

        if (args.Length < 2)
        {
            Console.Error.WriteLine("Usage: Portal.Benchmarks.Queues DATA-FOLDER OUTPUT.json [--repeat N] [--deep-page N]");
            return 2;
        }

        var repeat = 5;
        var deepPage = 5000;
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repeat":
                    repeat = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--deep-page":
                    deepPage = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'.");
                    return 2;
            }
        }

        await using var host = BuildHost(args[0]);
        var factory = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var users = new List<QueueUser>
        {
            new("advocate (CF)", await ScopeOfAsync(factory, Advocate), "CF"),
            new("coordinator", await ScopeOfAsync(factory, Coordinator), "CD"),
        };
        var runner = new QueueScaleRunner(host.Services.GetRequiredService<QueueService>(), PortalDatabase.FileIn(args[0]), repeat, deepPage, Console.WriteLine);
        var results = await runner.RunAsync(users);
        await using var output = File.Create(args[1]);
        await JsonSerializer.SerializeAsync(output, results, QueueScaleScenario.Json);
        return 0;
    }

    /// <summary>
    /// The portal's data registration (the same SQLite connection string, interceptors and model, Data Protection
    /// keys from the data folder for the protected columns) and its QueueService; nothing else of the web app.
    /// </summary>
    public static WebApplication BuildHost(string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = dataDirectory });
        builder.Configuration["Portal:DataDirectory"] = dataDirectory;
        builder.Logging.ClearProviders();
        builder.AddPortalDataProtection();
        builder.AddPortalData();
        builder.Services.AddSingleton<QueueService>();
        return builder.Build();
    }

    public static async Task<UserScope> ScopeOfAsync(IDbContextFactory<PortalDbContext> factory, string userName)
    {
        await using var db = await factory.CreateDbContextAsync();
        var normalized = userName.ToUpperInvariant();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized)
                   ?? throw new InvalidOperationException($"{userName} is not in this database; the portal seeds it in Development.");
        var roles = await db.UserRoles.Where(ur => ur.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync();
        return new UserScope(user.Id, user.UserName!, user.DisplayName, roles, user.Countries);
    }
}
