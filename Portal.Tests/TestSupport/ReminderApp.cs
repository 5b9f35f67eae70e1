using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.FollowUps;
using Portal.Domain.Notifications;
using Portal.Features.Reminders;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The real app in-process on a SQLite file of its own, with a fake clock as the app's TimeProvider. By default no job
/// server runs and the recurring scan is off, so a test drives scans and deliveries itself, at the moments it chooses.
/// </summary>
public sealed class ReminderApp : PortalAppFactory
{
    private readonly Dictionary<string, string> _settings;

    public ReminderApp(DateTimeOffset start, IDictionary<string, string>? settings = null, string? dataDirectory = null)
    {
        Clock = new FakeTimeProvider(start);
        OwnDataDirectory = dataDirectory;
        _settings = new Dictionary<string, string>
        {
            ["Portal:Jobs:RunServer"] = "false",
            ["Portal:Reminders:ScanEnabled"] = "false",
            ["Portal:PublicBaseUrl"] = "https://portal.example.org",

            // Moving the fake clock fires every tick of a periodic timer on the way: with the 5-second heartbeat, a test
            // that moves it by days would spend its time on tens of thousands of heartbeats that nobody reads.
            ["Portal:Nodes:HeartbeatInterval"] = "01:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }

        _ = Server; // start: migrate, seed roles
    }

    public FakeTimeProvider Clock { get; }

    public string? OwnDataDirectory { get; }

    public string Data => OwnDataDirectory ?? DataDirectory;

    public string PickupDirectory => Path.Combine(Data, "mail-pickup");

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public PortalDbContext NewContext(string? actor = "test")
    {
        var db = Service<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.ActorId = actor;
        return db;
    }

    public void SetTime(DateTime utc) => Clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    /// <summary>
    /// An ML advocate holding 20 cases and <paramref name="count"/> urgent follow-ups on them that fell due half an hour
    /// ago (urgent: delivered at once, whatever the hour), written through the app's model. Returns the follow-ups' ids.
    /// </summary>
    public async Task<List<Guid>> UrgentFollowUpsDueAsync(int count)
    {
        var advocate = await StaffAsync(Roles.Advocate, ["ML"], "UTC");
        var ids = new List<Guid>();
        await using var db = NewContext();
        var cases = Enumerable.Range(1, 20).Select(i =>
        {
            var survivorCase = Case.OpenFromIntake(new CaseNumber("ML", 2026, i), "ML", RiskLevel.Medium, "fr", null, Clock);
            survivorCase.Claim(advocate.UserId, Clock);
            return survivorCase;
        }).ToList();
        db.AddRange(cases);
        for (var i = 0; i < count; i++)
        {
            var followUp = FollowUp.CreateManual(cases[i % cases.Count].Id, null, FollowUpKind.SafetyCheck, null, Clock.GetUtcNow().UtcDateTime.AddMinutes(-30).AddSeconds(-i), isUrgent: true);
            db.Add(followUp);
            ids.Add(followUp.Id);
        }

        await db.SaveChangesAsync();
        return ids;
    }

    public async Task<UserScope> StaffAsync(string role, string[] countries, string timeZoneId = "UTC", string language = "en", bool disabled = false, string? email = null)
    {
        var id = Guid.NewGuid().ToString();
        var userName = email ?? $"{role.ToLowerInvariant()}.{id[..8]}@example.org";
        await using var db = NewContext();
        db.Users.Add(new StaffUser
        {
            Id = id,
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = userName,
            DisplayName = $"{role} {id[..6]}",
            PreferredLanguage = language,
            TimeZoneId = timeZoneId,
            Countries = [.. countries],
            IsDisabled = disabled,
            SecurityStamp = Guid.NewGuid().ToString(),
        });
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstAsync();
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = id, RoleId = roleId });
        await db.SaveChangesAsync();
        var session = await Service<SessionStore>().StartAsync(id);
        return new UserScope(id, userName, $"{role} {id[..6]}", [role], countries, session);
    }

    public async Task<Case> CaseAsync(string country, string? advocateId = null, RiskLevel risk = RiskLevel.Medium)
    {
        await using var db = NewContext();
        var number = await Service<CaseNumbers>().NextAsync(db, country, Clock);
        var survivorCase = Case.OpenFromIntake(number, country, risk, "fr", null, Clock);
        if (advocateId is not null)
        {
            survivorCase.Claim(advocateId, Clock);
        }

        db.Add(survivorCase);
        await db.SaveChangesAsync();
        return survivorCase;
    }

    public async Task<FollowUp> FollowUpAsync(Guid caseId, DateTime dueUtc, bool urgent = false, FollowUpKind kind = FollowUpKind.MedicalCheck, string? title = null)
    {
        await using var db = NewContext();
        var followUp = FollowUp.CreateManual(caseId, null, kind, title, DateTime.SpecifyKind(dueUtc, DateTimeKind.Utc), urgent);
        db.Add(followUp);
        await db.SaveChangesAsync();
        return followUp;
    }

    public async Task<PaternityClaim> PaternityClaimAsync(Guid caseId)
    {
        await using var db = NewContext();
        var child = Child.Register(caseId, $"Child {Guid.NewGuid():N}"[..12], null, 2020, Sex.Female, null, Clock);
        var claim = PaternityClaim.Open(child, "NPL", ["Jurisdiction A"], "test", Clock);
        db.Add(child);
        db.Add(claim);
        await db.SaveChangesAsync();
        return claim;
    }

    public Task<ScanResult> ScanAsync() => Service<ReminderScanner>().RunAsync();

    /// <summary>What a job server would do: run the delivery job of every notification queued for delivery.</summary>
    public async Task<int> DeliverQueuedAsync()
    {
        List<Guid> ids;
        await using (var db = NewContext())
        {
            ids = await db.Notifications.Where(n => n.Status == NotificationStatus.Pending && n.DispatchedAtUtc != null).Select(n => n.Id).ToListAsync();
        }

        foreach (var id in ids)
        {
            using var scope = Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<DeliveryJob>().RunAsync(id, CancellationToken.None);
        }

        return ids.Count;
    }

    public async Task<List<Notification>> NotificationsAsync(Func<IQueryable<Notification>, IQueryable<Notification>>? filter = null)
    {
        await using var db = NewContext();
        var query = db.Notifications.AsNoTracking();
        return await (filter?.Invoke(query) ?? query).OrderBy(n => n.CreatedAtUtc).ToListAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (OwnDataDirectory is not null)
        {
            // A test's window on the folder of a portal running as its own process: that portal holds the folder.
            builder.UseSetting("Portal:DataDirectory", OwnDataDirectory);
            builder.ConfigureTestServices(services => services.RemoveAll<DataFolderLock>());
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
