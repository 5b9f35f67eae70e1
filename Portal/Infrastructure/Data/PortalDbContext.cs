using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Countries;
using Portal.Domain.Documents;
using Portal.Domain.Drafts;
using Portal.Domain.FollowUps;
using Portal.Domain.Intake;
using Portal.Domain.Notes;
using Portal.Domain.Plans;
using Portal.Domain.Notifications;
using Portal.Domain.Referrals;
using Portal.Infrastructure.Security;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Infrastructure.Data;

/// <summary>
/// One database for staff accounts and case data; each entity's mapping lives in Configurations/. This type is the
/// SQLite context; <see cref="PostgresPortalDbContext"/> derives from it only so that each engine has its own migrations.
/// Services use this type whatever the engine.
/// </summary>
public class PortalDbContext : IdentityDbContext<StaffUser>, IDataProtectionKeyContext
{
    public PortalDbContext(DbContextOptions<PortalDbContext> options)
        : this((DbContextOptions)options)
    {
    }

    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The user on whose behalf this unit of work runs; stamped on what it creates and changes.</summary>
    public string? ActorId { get; set; }

    public DbSet<Case> Cases => Set<Case>();

    /// <summary>Read only for an explicit, audited reveal; never joined into case queries.</summary>
    public DbSet<IdentityRecord> IdentityRecords => Set<IdentityRecord>();

    public DbSet<Referral> Referrals => Set<Referral>();

    public DbSet<ServiceProvider> ServiceProviders => Set<ServiceProvider>();

    public DbSet<FollowUp> FollowUps => Set<FollowUp>();

    public DbSet<Child> Children => Set<Child>();

    public DbSet<PaternityClaim> PaternityClaims => Set<PaternityClaim>();

    public DbSet<Note> Notes => Set<Note>();

    public DbSet<Draft> Drafts => Set<Draft>();

    public DbSet<Assessment> Assessments => Set<Assessment>();

    public DbSet<PlanGoal> PlanGoals => Set<PlanGoal>();

    public DbSet<CaseDocument> Documents => Set<CaseDocument>();

    public DbSet<DocumentContent> DocumentContents => Set<DocumentContent>();

    /// <summary>Append-only: adding works, changing or removing an entry is refused.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<IntakeSubmission> IntakeSubmissions => Set<IntakeSubmission>();

    /// <summary>The office's messages to the person, read on the status page.</summary>
    public DbSet<PersonMessage> PersonMessages => Set<PersonMessage>();

    public DbSet<Country> Countries => Set<Country>();

    /// <summary>In-app messages and the exactly-once ledger of every reminder delivery (Features/Reminders).</summary>
    public DbSet<Notification> Notifications => Set<Notification>();

    /// <summary>Bumped through <see cref="CaseNumbers"/>, not by loading and saving rows.</summary>
    public DbSet<CaseNumberSequence> CaseNumberSequences => Set<CaseNumberSequence>();

    /// <summary>
    /// The Data Protection key ring when the nodes share a PostgreSQL database (see DataProtectionExtensions): the keys
    /// are backed up with the data they decrypt. Unused with SQLite, whose keys stay in the data folder.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateException ex) when (Configurations.ConcurrentEdits.CollidedOnHistory(this, ex))
        {
            throw Configurations.ConcurrentEdits.AsConcurrencyException(this, ex);
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException ex) when (Configurations.ConcurrentEdits.CollidedOnHistory(this, ex))
        {
            throw Configurations.ConcurrentEdits.AsConcurrencyException(this, ex);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        Configurations.PortalConventions.Apply(configurationBuilder);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly, t => t.GetConstructor(Type.EmptyTypes) is not null);
        Configurations.PortalConventions.VersionsAreConcurrencyTokens(builder);
        Configurations.ProtectedColumns.Apply(builder);
        PortalDbFunctions.Map(builder, sqlite: this is not PostgresPortalDbContext);
    }
}
