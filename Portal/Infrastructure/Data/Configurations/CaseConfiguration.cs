using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Countries;
using Portal.Domain.Intake;

namespace Portal.Infrastructure.Data.Configurations;

/// <summary>
/// The case row carries its profile and allegation as columns (one row per case, no joins for the queues); consents
/// and status history are child tables keyed by (case, sequence), the natural key the domain numbers them with.
/// </summary>
public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    /// <summary>
    /// One country's allegations by year reported and entity type (the dashboard of one country, the annual summary):
    /// read from the index alone, where SQLite otherwise walks the country's cases in the country index and reads each
    /// row (BENCHMARKS.md, dashboard). EF cannot declare it: an owned type's index
    /// holds only the owned type's columns (dotnet/efcore#11336), and the owner's country is not one of them. So it is
    /// created on start-up (DataExtensions, both engines), like the audit triggers, where the regenerated "Initial"
    /// migration cannot lose it.
    /// </summary>
    public const string CountryAllegationsIndexSql =
        """CREATE INDEX IF NOT EXISTS "IX_Cases_CountryCode_AllegationDateReported_EntityType" ON "Cases" ("CountryCode", "Allegation_DateReported", "Allegation_EntityType");""";

    /// <summary>
    /// The risk level and the stage as positions in their declared order (least to most urgent; stages as a case moves),
    /// kept by the database beside the names it stores: names sort alphabetically, and an order computed per query
    /// sorts every case in scope for each page, where a column can be indexed and read in order.
    /// </summary>
    public const string RiskRank = "RiskRank";

    /// <inheritdoc cref="RiskRank"/>
    public const string StatusRank = "StatusRank";

    /// <summary>A value's position among its enum's declared values, as the rank columns hold it.</summary>
    public static int DeclaredPosition<T>(T value)
        where T : struct, Enum => Array.IndexOf(Enum.GetValues<T>(), value);

    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("Cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Number).HasMaxLength(PortalConventions.CaseNumberMaxLength);
        builder.Property(c => c.CountryCode).HasMaxLength(PortalConventions.CountryCodeMaxLength);
        builder.Property(c => c.RiskAssessedBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(c => c.AssignedAdvocateId).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(c => c.ClosureComment).HasMaxLength(Case.CommentMaxLength);
        builder.Property(c => c.ClosureRequestedBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.Property(c => c.SubmissionLanguage).HasMaxLength(Guard.CultureCodeMaxLength);
        builder.Property(c => c.ErasureHoldReason).HasMaxLength(Case.ErasureHoldReasonMaxLength);
        builder.Property(c => c.ErasureHeldBy).HasMaxLength(Guard.UserIdMaxLength);
        builder.HasAuditStamps();

        builder.HasOne<Country>().WithMany().HasForeignKey(c => c.CountryCode).OnDelete(DeleteBehavior.Restrict);

        // The case points at the submission it came from; the submission's CaseId is a plain column, so the two rows
        // never need each other to exist first.
        builder.HasOne<IntakeSubmission>().WithOne().HasForeignKey<Case>(c => c.IntakeSubmissionId).OnDelete(DeleteBehavior.Restrict);

        // The profile's quasi-identifiers (the district, what is said of a disability) are sealed with the case's own key,
        // like the identity; the coarse values the dashboard counts (sex, age group, birth year, country) stay in clear.
        builder.HasDataKey(c => c.Id);
        builder.OwnsOne(c => c.Profile, profile =>
        {
            // Named here: a protected column keeps the name it is given before the model is finished, when an owned
            // type's columns do not yet carry their owner's prefix.
            profile.Property(p => p.DisabilityDetails).HasColumnName("Profile_DisabilityDetails").IsProtected();
            profile.Property(p => p.District).HasColumnName("Profile_District").IsProtected();
            profile.PrimitiveCollection(p => p.Languages).HasField("_languages").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        builder.Navigation(c => c.Profile).IsRequired();

        builder.OwnsOne(c => c.Allegation, allegation =>
        {
            allegation.Property(a => a.MissionOrEntityName).HasMaxLength(Allegation.MissionOrEntityNameMaxLength);
            allegation.Property(a => a.InterimActions).HasMaxLength(Allegation.InterimActionsMaxLength);

            // Dashboard (issue 8): allegations by year reported and entity type, from the index alone. One country's
            // come from CountryAllegationsIndexSql.
            allegation.HasIndex(a => new { a.DateReported, a.EntityType });
        });

        builder.OwnsMany(c => c.Consents, consent =>
        {
            consent.ToTable("CaseConsents");
            consent.WithOwner().HasForeignKey("CaseId");
            consent.HasKey("CaseId", nameof(ConsentRecord.Sequence));
            consent.Property(r => r.Sequence).ValueGeneratedNever();
            consent.Property(r => r.Id).ValueGeneratedNever();
            consent.HasIndex(r => r.Id).IsUnique();
            consent.Property(r => r.Withhold).HasMaxLength(ConsentRecord.WithholdMaxLength);
            consent.Property(r => r.RecordedBy).HasMaxLength(Guard.UserIdMaxLength);
            consent.Property(r => r.RevokedBy).HasMaxLength(Guard.UserIdMaxLength);
            consent.Property(r => r.SharedFields).HasConversion<int>(); // a set of flags: a number, whatever names the flags get
            consent.PrimitiveCollection(r => r.SharedWithProviderIds).HasField("_sharedWithProviderIds").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        builder.Navigation(c => c.Consents).HasField("_consents").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(c => c.StatusHistory, history =>
        {
            history.ToTable("CaseStatusChanges");
            history.WithOwner().HasForeignKey("CaseId");
            history.HasKey("CaseId", nameof(CaseStatusChange.Sequence));
            history.Property(h => h.Sequence).ValueGeneratedNever();
            history.Property(h => h.ByUserId).HasMaxLength(Guard.UserIdMaxLength);
            history.Property(h => h.Comment).HasMaxLength(Case.CommentMaxLength);
        });
        builder.Navigation(c => c.StatusHistory).HasField("_statusHistory").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.Property<int>(RiskRank).HasComputedColumnSql(DeclaredPositionSql<RiskLevel>(nameof(Case.RiskLevel)), stored: true);
        builder.Property<int>(StatusRank).HasComputedColumnSql(DeclaredPositionSql<CaseStatus>(nameof(Case.Status)), stored: true);
        CaseOverdueKey.Configure(builder); // before the sort keys, whose next-due index carries it
        CaseSortKeys.Configure(builder);
        CaseReferralTypes.Configure(builder);
        CaseFirstContactDelay.Configure(builder);

        builder.Ignore(c => c.LatestConsent);
        builder.Ignore(c => c.CurrentConsent);
        builder.Ignore(c => c.IsClosed);

        builder.HasIndex(c => c.Number).IsUnique();

        // Queues (issue 5). New intakes and the country queue: country + stage, unclaimed (advocate null) first
        // looked up from the index alone, oldest first within each country.
        builder.HasIndex(c => new { c.CountryCode, c.Status, c.AssignedAdvocateId, c.OpenedAtUtc });

        // "My cases": everything one advocate holds, by stage, oldest first.
        builder.HasIndex(c => new { c.AssignedAdvocateId, c.Status, c.OpenedAtUtc });

        // Coordinators across all countries: new intakes and closures awaiting approval, by age. The number breaks ties in
        // that order: without it a deep page sorted each opening moment's cases, reading the row of every case it skipped.
        builder.HasIndex(c => new { c.Status, c.OpenedAtUtc, c.Number });

        // "All cases in my countries" sorted by age (by number across all countries, the unique index on Number serves).
        // The number breaks ties in that order: without it in the index, SQLite read every skipped row to sort each
        // opening moment's cases, so a deep page cost one row read per case before it.
        // The referral types last: the "has a legal referral" filter is then checked in the index too (CaseReferralTypes).
        builder.HasIndex(nameof(Case.CountryCode), nameof(Case.OpenedAtUtc), nameof(Case.Number), CaseReferralTypes.Column);

        // Dashboard (issue 8): cases opened in a period (per month, and the intake-to-first-contact median, which reads
        // the kept delay from this index alone) across all countries or one; cases closed per month.
        builder.HasIndex(nameof(Case.OpenedAtUtc), nameof(Case.CountryCode), nameof(Case.FirstContactAtUtc), CaseFirstContactDelay.Column);
        builder.HasIndex(c => new { c.ClosedAtUtc, c.CountryCode });

        // "New intakes" and "my cases" of a country by age read the page straight from this index (unclaimed = advocate
        // null) instead of walking the country's cases (BENCHMARKS.md, queues at scale). The number (the tie-break) and
        // the status ("open" for My cases) let a deep page skip the advocate's earlier and closed cases in the index alone;
        // the moment the case falls overdue does the same for "overdue only" (CaseOverdueKey).
        builder.HasIndex(
            nameof(Case.CountryCode), nameof(Case.AssignedAdvocateId), nameof(Case.OpenedAtUtc), nameof(Case.Number), nameof(Case.Status), CaseOverdueKey.Column);

        // Coordinators' queues across every country by age (newest first for all cases): read in order, with no sort of
        // every case per page.
        builder.HasIndex(nameof(Case.OpenedAtUtc), nameof(Case.Number), CaseReferralTypes.Column);

        // An advocate's cases by number, a number prefix ("CF-2024") and a number search ("0042") within the advocate's
        // countries: read from (country, number) alone. Without it SQLite took a country index and sorted or filtered
        // every case of the country, row by row (BENCHMARKS.md, queues at scale). The opening date last: a prefix's cases
        // are sorted by it from the index, without reading their rows (CaseNumberSearch).
        builder.HasIndex(c => new { c.CountryCode, c.Number, c.OpenedAtUtc }).HasDatabaseName(CaseNumberSearch.CountryNumberIndex);

        // A country's cases of one risk level by age (the "high risk" filter): counted from this index alone and paged
        // in order. Without it the count read every case of the country and its row (BENCHMARKS.md, queues at scale).
        builder.HasIndex(c => new { c.CountryCode, c.RiskLevel, c.OpenedAtUtc, c.Number });

        // Queues by risk (highest first, the longest waiting first within a level; or the exact reverse) and by stage,
        // read in order and seeked past the previous page: across every country, and within one (an advocate's scope or
        // the country filter), where SQLite otherwise takes the country index and sorts the country's cases.
        builder.HasIndex(RiskRank, nameof(Case.OpenedAtUtc), nameof(Case.Number)).IsDescending(true, false, false);
        builder.HasIndex(nameof(Case.CountryCode), RiskRank, nameof(Case.OpenedAtUtc), nameof(Case.Number)).IsDescending(false, true, false, false);
        builder.HasIndex(StatusRank, nameof(Case.Number));
        builder.HasIndex(nameof(Case.CountryCode), StatusRank, nameof(Case.Number));

        // A country's new intakes in their own order (highest risk first, the longest waiting first within a level): the
        // page read straight from the index. Without it SQLite walks the country's cases in risk order looking for the
        // few that are new.
        builder.HasIndex(nameof(Case.CountryCode), nameof(Case.Status), nameof(Case.AssignedAdvocateId), RiskRank, nameof(Case.OpenedAtUtc), nameof(Case.Number))
            .IsDescending(false, false, false, true, false, false);
    }

    private static string DeclaredPositionSql<T>(string column)
        where T : struct, Enum =>
        $"CASE \"{column}\" {string.Join(" ", Enum.GetValues<T>().Select(v => $"WHEN '{v}' THEN {DeclaredPosition(v)}"))} END";
}
