using Portal.Domain.Common;

namespace Portal.Domain.Consents;

public enum ConsentGiver
{
    Person,
    Caregiver,
}

/// <summary>
/// One consent as given at one moment. Records are never edited: a change of mind is a new record (the latest one,
/// by <see cref="Sequence"/>, is the one that counts) or a revocation of the latest.
/// </summary>
public sealed class ConsentRecord
{
    public const int WithholdMaxLength = 2000;

    private readonly List<Guid> _sharedWithProviderIds = [];

    private ConsentRecord()
    {
    }

    public Guid Id { get; private set; }

    public int Sequence { get; private set; }

    public ConsentGiver GivenBy { get; private set; }

    public bool ForServices { get; private set; }

    /// <summary>Whether non-identifying data may be used in statistical reporting.</summary>
    public bool ForSharingNonIdentifyingData { get; private set; }

    public IReadOnlyCollection<Guid> SharedWithProviderIds => _sharedWithProviderIds;

    /// <summary>What the providers in <see cref="SharedWithProviderIds"/> may read of the person with the referral.</summary>
    public SharedField SharedFields { get; private set; }

    /// <summary>In the person's words: what must not be shared, and with whom.</summary>
    public string? Withhold { get; private set; }

    public DateTime RecordedAtUtc { get; private set; }

    public string RecordedBy { get; private set; } = string.Empty;

    public DateTime? RevokedAtUtc { get; private set; }

    public string? RevokedBy { get; private set; }

    public bool IsRevoked => RevokedAtUtc is not null;

    public bool IsSharedWith(Guid providerId) => _sharedWithProviderIds.Contains(providerId);

    internal static ConsentRecord Record(
        int sequence,
        ConsentGiver givenBy,
        bool forServices,
        bool forSharingNonIdentifyingData,
        IEnumerable<Guid> sharedWithProviderIds,
        SharedField sharedFields,
        string? withhold,
        string recordedBy,
        DateTime atUtc)
    {
        var record = new ConsentRecord
        {
            Id = Guid.CreateVersion7(),
            Sequence = sequence,
            GivenBy = Guard.Defined(givenBy, "Consent given by"),
            ForServices = forServices,
            ForSharingNonIdentifyingData = forSharingNonIdentifyingData,
            SharedFields = SharedFieldSet.Known(sharedFields),
            Withhold = Guard.Optional(withhold, "What to withhold", WithholdMaxLength),
            RecordedBy = Guard.UserId(recordedBy, "The person recording consent"),
            RecordedAtUtc = atUtc,
        };
        record._sharedWithProviderIds.AddRange(sharedWithProviderIds.Where(id => id != Guid.Empty).Distinct());
        return record;
    }

    internal void Revoke(string by, DateTime atUtc)
    {
        RevokedBy = Guard.UserId(by, "The person recording the revocation");
        RevokedAtUtc = atUtc;
    }
}
