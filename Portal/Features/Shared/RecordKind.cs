using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Common;
using Portal.Domain.Documents;
using Portal.Domain.FollowUps;
using Portal.Domain.Plans;
using Portal.Domain.Referrals;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Shared;

/// <summary>
/// What the command path needs to know about one kind of versioned record: its name in the audit trail, the case it
/// belongs to, and the parts a person would say were changed (so a conflict can say what changed since they looked).
/// </summary>
public sealed class RecordKind<T>
    where T : VersionedEntity
{
    private readonly IReadOnlyList<(string Name, Func<T, object?> Value)> _aspects;

    internal RecordKind(string type, Func<T, Guid> idOf, Func<T, Guid>? caseIdOf, params (string Name, Func<T, object?> Value)[] aspects)
    {
        Type = type;
        IdOf = idOf;
        CaseIdOf = caseIdOf;
        _aspects = aspects;
    }

    /// <summary>The record type in the audit trail ("Case", "Referral").</summary>
    public string Type { get; }

    internal Func<T, Guid> IdOf { get; }

    /// <summary>The case the record belongs to; null for records outside any case (service providers).</summary>
    internal Func<T, Guid>? CaseIdOf { get; }

    /// <summary>What the user saw of each part; compared with <see cref="Changed"/> when someone saved in between.</summary>
    internal object?[] AspectsOf(T record) => [.. _aspects.Select(a => a.Value(record))];

    /// <summary>The parts of <paramref name="current"/> that differ from what the user saw.</summary>
    internal IReadOnlyList<string> Changed(IReadOnlyList<object?> seen, T current) =>
        [.. _aspects.Where((a, i) => !Equals(seen[i], a.Value(current))).Select(a => a.Name)];
}

/// <summary>The versioned records of the portal, each described once.</summary>
public static class Records
{
    public static RecordKind<Case> Case { get; } = new(
        "Case",
        c => c.Id,
        c => c.Id,
        ("Status", c => c.Status),
        ("Risk", c => c.RiskLevel),
        ("Assignee", c => c.AssignedAdvocateId),
        ("Profile", c => (c.Profile.Sex, c.Profile.AgeGroup, c.Profile.DateOfBirth, c.Profile.BirthYear, c.Profile.HasDisability, c.Profile.DisabilityDetails, c.Profile.District, c.Profile.ChildBornOfSea, string.Join(",", c.Profile.Languages))),
        ("Allegation", c => c.Allegation is not { } a ? null : (a.EntityType, a.MissionOrEntityName, a.PersonnelCategory, a.Class, a.Subtype, a.IncidentDate, a.DateReported, a.InvestigationStatus, a.InterimActions)),
        ("Consent", c => (c.Consents.Count, c.CurrentConsent?.Id)));

    public static RecordKind<Referral> Referral { get; } = new(
        "Referral",
        r => r.Id,
        r => r.CaseId,
        ("Status", r => r.Status),
        ("Details", r => (r.Type, r.ProviderId, r.Reason, r.Urgency)));

    public static RecordKind<FollowUp> FollowUp { get; } = new(
        "FollowUp",
        f => f.Id,
        f => f.CaseId,
        ("Status", f => f.Status),
        ("Due", f => (f.DueAtUtc, f.SnoozedUntilUtc)));

    public static RecordKind<Child> Child { get; } = new(
        "Child",
        c => c.Id,
        c => c.CaseId,
        ("Details", c => (c.Pseudonym, c.DateOfBirth, c.BirthYear, c.Sex, c.Needs, c.ExpectedMonth, c.IsExpected)));

    public static RecordKind<PaternityClaim> PaternityClaim { get; } = new(
        "PaternityClaim",
        p => p.Id,
        p => p.CaseId,
        ("Status", p => p.Status),
        ("Details", p => (p.MemberStateCode, string.Join("\n", p.Jurisdictions), p.LegalAidReferralId)));

    public static RecordKind<Assessment> Assessment { get; } = new(
        "Assessment",
        a => a.Id,
        a => a.CaseId,
        ("Assessment", a => a.Versions.Count));

    public static RecordKind<PlanGoal> PlanGoal { get; } = new(
        "PlanGoal",
        g => g.Id,
        g => g.CaseId,
        ("Status", g => g.Status),
        ("Details", g => (g.Description, string.Join(",", g.Needs), g.TargetDate)));

    public static RecordKind<CaseDocument> Document { get; } = new(
        "CaseDocument",
        d => d.Id,
        d => d.CaseId,
        ("Status", d => d.DeletedAtUtc));

    public static RecordKind<Provider> ServiceProvider { get; } = new(
        "ServiceProvider",
        p => p.Id,
        caseIdOf: null,
        ("Details", p => (p.Name, p.Contact, string.Join(",", p.ServicesOffered), string.Join(",", p.Languages), p.AnswersInPortal)),
        ("Active", p => p.IsActive));

    internal static RecordKind<T> Of<T>()
        where T : VersionedEntity =>
        (RecordKind<T>)Kinds[typeof(T)];

    private static readonly Dictionary<Type, object> Kinds = new()
    {
        [typeof(Case)] = Case,
        [typeof(Referral)] = Referral,
        [typeof(FollowUp)] = FollowUp,
        [typeof(Child)] = Child,
        [typeof(PaternityClaim)] = PaternityClaim,
        [typeof(Assessment)] = Assessment,
        [typeof(PlanGoal)] = PlanGoal,
        [typeof(Provider)] = ServiceProvider,
        [typeof(CaseDocument)] = Document,
    };
}

/// <summary>
/// A record as the user saw it: its id, its version and what they saw of each part. A command changes the record only
/// if it is still at that version; otherwise it answers with a conflict saying who changed what since.
/// </summary>
public sealed class Seen<T>
    where T : VersionedEntity
{
    /// <summary>The id and version alone, for a caller that does not hold the record: a conflict then says who and when only.</summary>
    public Seen(Guid id, Guid version)
        : this(id, version, null)
    {
    }

    private Seen(Guid id, Guid? version, object?[]? aspects)
    {
        Id = id;
        Version = version;
        Aspects = aspects;
    }

    public Guid Id { get; }

    /// <summary>Null for a command that applies to whatever the record is now (taking up a case).</summary>
    public Guid? Version { get; }

    internal object?[]? Aspects { get; }

    internal static Seen<T> Of(T record)
    {
        var kind = Records.Of<T>();
        return new(kind.IdOf(record), record.Version, kind.AspectsOf(record));
    }

    /// <summary>Whatever version the record has when the command runs: the domain alone decides, on the record as it is.</summary>
    public static Seen<T> Latest(Guid id) => new(id, null, null);
}

public static class Seen
{
    /// <summary>The record as the page shows it now.</summary>
    public static Seen<T> Of<T>(T record)
        where T : VersionedEntity =>
        Seen<T>.Of(record);
}
