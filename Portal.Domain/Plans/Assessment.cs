using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Referrals;

namespace Portal.Domain.Plans;

/// <summary>
/// What the person needs, per kind of assistance, and the risk they face, as their advocate assessed it. Every save is a
/// new version and no version is ever changed, so the history shows how the picture moved; the latest version counts.
/// One per case. The kinds of assistance are the referral types, so a need, a goal and a referral speak of the same thing.
/// Nothing here depends on the allegation or its investigation: assistance never waits for it.
/// </summary>
public sealed class Assessment : VersionedEntity
{
    public const int RiskReasonMaxLength = 2000;
    public const int NeedTextMaxLength = 2000;

    private readonly List<AssessmentVersion> _versions = [];
    private readonly List<AssessedNeed> _needs = [];

    private Assessment()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    /// <summary>When the latest version was recorded: the moment the assessment was last reviewed.</summary>
    public DateTime ReviewedAtUtc { get; private set; }

    /// <summary>In no guaranteed order once loaded; order by <see cref="AssessmentVersion.Sequence"/>.</summary>
    public IReadOnlyList<AssessmentVersion> Versions => _versions;

    /// <summary>The needs of every version; <see cref="NeedsOf"/> gives one version's.</summary>
    public IReadOnlyList<AssessedNeed> AllNeeds => _needs;

    public AssessmentVersion Current => _versions.MaxBy(v => v.Sequence)!;

    public IReadOnlyList<AssessedNeed> CurrentNeeds => NeedsOf(Current.Sequence);

    public IReadOnlyList<AssessedNeed> NeedsOf(int sequence) =>
        [.. _needs.Where(n => n.Sequence == sequence).OrderBy(n => n.Type)];

    public static Assessment Record(Case survivorCase, IReadOnlyCollection<NeedInput> needs, RiskLevel risk, string riskReason, string by, TimeProvider clock)
    {
        survivorCase.EnsureNotClosed("record an assessment on");
        var assessment = new Assessment { Id = Guid.CreateVersion7(), CaseId = survivorCase.Id };
        assessment.AddVersion(survivorCase, needs, risk, riskReason, by, clock);
        return assessment;
    }

    /// <summary>A new version from the advocate's review; the earlier ones stay as they were. The case takes the assessed risk.</summary>
    public void Revise(Case survivorCase, IReadOnlyCollection<NeedInput> needs, RiskLevel risk, string riskReason, string by, TimeProvider clock)
    {
        if (survivorCase.Id != CaseId)
        {
            throw new DomainException(ErrorCodes.AssessmentWrongCase, $"The assessment belongs to another case than {survivorCase.Number}.");
        }

        survivorCase.EnsureNotClosed("revise the assessment of");
        AddVersion(survivorCase, needs, risk, riskReason, by, clock);
    }

    /// <summary>Not reviewed for longer than <paramref name="reviewEvery"/>: the picture may no longer be true.</summary>
    public bool IsDueForReview(DateTime utcNow, TimeSpan reviewEvery) => utcNow - ReviewedAtUtc > reviewEvery;

    private void AddVersion(Case survivorCase, IReadOnlyCollection<NeedInput> needs, RiskLevel risk, string riskReason, string by, TimeProvider clock)
    {
        Guard.UserId(by, "The person recording the assessment");
        Guard.Defined(risk, "Risk level");
        var reason = Guard.Required(riskReason, "The reason for the risk level", RiskReasonMaxLength);
        var duplicate = needs.GroupBy(n => n.Type).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DomainException(ErrorCodes.AssessmentDuplicateNeed, $"The {duplicate.Key} need is listed twice; one entry per kind of assistance.");
        }

        var sequence = _versions.Count == 0 ? 1 : _versions.Max(v => v.Sequence) + 1;
        var checkedNeeds = needs.Select(n => AssessedNeed.Create(sequence, n)).ToList();
        var now = clock.GetUtcDateTime();
        _versions.Add(new AssessmentVersion(sequence, risk, reason, by, now));
        _needs.AddRange(checkedNeeds);
        ReviewedAtUtc = now;
        if (survivorCase.RiskLevel != risk)
        {
            survivorCase.ChangeRisk(risk, by, clock);
        }

        Touch();
    }
}

/// <summary>What a caller gives for one need: the kind of assistance, what is needed, how urgent, and what the person wants.</summary>
public sealed record NeedInput(ReferralType Type, string WhatIsNeeded, ReferralUrgency Urgency, string? PersonsWish);

/// <summary>One saved version of an assessment: the risk and its reason, by whom and when. Never changed.</summary>
public sealed class AssessmentVersion
{
    internal AssessmentVersion(int sequence, RiskLevel risk, string riskReason, string recordedBy, DateTime recordedAtUtc)
    {
        Sequence = sequence;
        Risk = risk;
        RiskReason = riskReason;
        RecordedBy = recordedBy;
        RecordedAtUtc = recordedAtUtc;
    }

    private AssessmentVersion()
    {
    }

    public int Sequence { get; private set; }

    public RiskLevel Risk { get; private set; }

    public string RiskReason { get; private set; } = string.Empty;

    public string RecordedBy { get; private set; } = string.Empty;

    public DateTime RecordedAtUtc { get; private set; }
}

/// <summary>One need in one version of an assessment. The person's wish is in their words, and may differ from the advocate's view.</summary>
public sealed class AssessedNeed
{
    private AssessedNeed()
    {
    }

    public int Sequence { get; private set; }

    public ReferralType Type { get; private set; }

    public string WhatIsNeeded { get; private set; } = string.Empty;

    public ReferralUrgency Urgency { get; private set; }

    public string? PersonsWish { get; private set; }

    internal static AssessedNeed Create(int sequence, NeedInput input) => new()
    {
        Sequence = sequence,
        Type = Guard.Defined(input.Type, "Kind of assistance"),
        WhatIsNeeded = Guard.Required(input.WhatIsNeeded, $"What is needed ({input.Type})", Assessment.NeedTextMaxLength),
        Urgency = Guard.Defined(input.Urgency, "Urgency"),
        PersonsWish = Guard.Optional(input.PersonsWish, $"The person's wish ({input.Type})", Assessment.NeedTextMaxLength),
    };
}
