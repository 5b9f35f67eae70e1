using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Reminders;
using Portal.Infrastructure.Security;

namespace Portal.Infrastructure.Data.Seeding;

public sealed record DemoSeedResult(bool Skipped, int Cases, int Referrals, int FollowUps, int Providers, int PaternityClaims, TimeSpan Elapsed)
{
    internal static DemoSeedResult Skip(TimeSpan elapsed) => new(true, 0, 0, 0, 0, 0, elapsed);
}

/// <summary>
/// Demo data for Development (<c>Portal:SeedDemoData</c>): service providers in every country and about 1,800 cases
/// whose stories were played through the domain with a clock stepped through time: 1,530 historic cases whose
/// allegations add up, year by year, to the UN's published figures, and 300 current cases in every stage, risk level
/// and country, with referrals of every type and status, due, overdue and snoozed follow-ups, children and paternity
/// claims (some stale). Names and contacts are obviously fictitious ("Test Person 0042", +000 numbers).
/// <para>
/// Idempotent and cheap when done: one query finds existing cases and stops. Otherwise everything is written in one
/// transaction, so an interrupted run leaves nothing half-seeded. Deterministic: the random generator has a fixed
/// seed; only ids, reference codes and the dates (relative to the real today) differ between runs.
/// </para>
/// <para>
/// Cases go to the advocate of their country (see <see cref="DemoStaff"/>; by default read from the staff accounts,
/// so seed the accounts first). Where there is none, the case is left unassigned in the country queue, its history
/// signed by <see cref="StandInAdvocate"/>.
/// </para>
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<PortalDbContext> dbFactory,
    CaseNumbers caseNumbers,
    TimeProvider time,
    ILogger<DemoDataSeeder> logger)
{
    public const int Seed = 20_170_101;

    /// <summary>Stamped as creator of every seeded record.</summary>
    public const string Actor = "system:demo-seed";

    /// <summary>Signs the history of cases in countries without an advocate account; never holds a case.</summary>
    public const string StandInAdvocate = "demo-stand-in-advocate";

    /// <summary>Approves closures when there is no coordinator account.</summary>
    public const string StandInCoordinator = "demo-stand-in-coordinator";

    private const int CasesPerSave = 250;

    public async Task<DemoSeedResult> SeedAsync(DemoStaff? staff = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Cases.AnyAsync(cancellationToken))
        {
            return DemoSeedResult.Skip(watch.Elapsed);
        }

        db.ActorId = Actor;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await ReferenceData.SeedCountriesAsync(db, cancellationToken);
        staff ??= await DemoStaff.FromDatabaseAsync(db, cancellationToken);
        var countries = await db.Countries.AsNoTracking().ToDictionaryAsync(c => c.Code, cancellationToken);
        var utcNow = time.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var providers = DemoProviders.For(countries.Values);
        db.ServiceProviders.AddRange(providers);
        await SaveAsync(db, cancellationToken);
        await DemoAccounts.TieToProvidersAsync(db, cancellationToken);

        var random = new Random(Seed);
        var plans = DemoPlanner.Plan(random, utcNow).Where(p => countries.ContainsKey(p.CountryCode)).ToList();
        var builder = new DemoCaseBuilder(utcNow, staff, ReminderPolicy.ForCountries(countries.Values), countries, providers, Seed);
        int referrals = 0, followUps = 0, claims = 0;
        foreach (var chunk in plans.Chunk(CasesPerSave))
        {
            foreach (var plan in chunk)
            {
                var number = await caseNumbers.NextAsync(db, plan.CountryCode, plan.OpenedAtUtc.Year, cancellationToken);
                var graph = builder.Build(plan, number);
                if (graph.Submission is { } submission)
                {
                    db.IntakeSubmissions.Add(submission);
                }

                db.Cases.Add(graph.Case);
                if (graph.Identity is { } identity)
                {
                    db.IdentityRecords.Add(identity);
                }

                db.Referrals.AddRange(graph.Referrals);
                db.FollowUps.AddRange(graph.FollowUps);
                db.Children.AddRange(graph.Children);
                db.PaternityClaims.AddRange(graph.Claims);
                db.Notes.AddRange(graph.Notes);
                referrals += graph.Referrals.Count;
                followUps += graph.FollowUps.Count;
                claims += graph.Claims.Count;
            }

            await SaveAsync(db, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var result = new DemoSeedResult(false, plans.Count, referrals, followUps, providers.Count, claims, watch.Elapsed);
        logger.LogInformation(
            "Seeded demo data in {Seconds:0.0} s: {Cases} cases, {Referrals} referrals, {FollowUps} follow-ups, {Providers} providers, {Claims} paternity claims.",
            result.Elapsed.TotalSeconds, result.Cases, result.Referrals, result.FollowUps, result.Providers, result.PaternityClaims);
        return result;
    }

    /// <summary>Saves and forgets, so change tracking stays cheap however many cases there are.</summary>
    private static async Task SaveAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
