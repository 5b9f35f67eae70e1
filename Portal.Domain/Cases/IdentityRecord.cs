using Portal.Domain.Common;

namespace Portal.Domain.Cases;

/// <summary>What a form submits to record or change who the person is and how to reach them.</summary>
public sealed record IdentityDetails(
    string? GivenName,
    string? FamilyName,
    string? OtherNames,
    string? Phone,
    string? Email,
    ContactChannel ContactChannel,
    string? SafeContactTimes,
    string? ExactAddress);

/// <summary>
/// Who the person is, kept apart from the case (own table, keyed by case id) so case queries never load it;
/// it is read only on an explicit, audited reveal. Plain strings here: encryption at rest is infrastructure's job.
/// Every field is optional because people may give only a first name or a nickname.
/// </summary>
public sealed class IdentityRecord : AuditedEntity
{
    public const int NameMaxLength = 200;
    public const int PhoneMaxLength = 50;
    public const int EmailMaxLength = 320;
    public const int SafeContactTimesMaxLength = 500;
    public const int ExactAddressMaxLength = 1000;

    private IdentityRecord()
    {
    }

    public Guid CaseId { get; private set; }

    public string? GivenName { get; private set; }

    public string? FamilyName { get; private set; }

    public string? OtherNames { get; private set; }

    public string? Phone { get; private set; }

    public string? Email { get; private set; }

    public ContactChannel ContactChannel { get; private set; }

    public string? SafeContactTimes { get; private set; }

    public string? ExactAddress { get; private set; }

    public static IdentityRecord Create(Guid caseId, IdentityDetails details)
    {
        var record = new IdentityRecord { CaseId = caseId };
        record.Update(details);
        return record;
    }

    /// <summary>The person gave a new instruction on when it is safe to contact them; it replaces the old one everywhere.</summary>
    public void ChangeSafeContactTimes(string safeContactTimes) =>
        SafeContactTimes = Guard.Required(safeContactTimes, "Safe contact times", SafeContactTimesMaxLength);

    /// <summary>
    /// The person gave ways to reach them again in a later request (<paramref name="newer"/>): what they gave there wins,
    /// as the latest contact instruction always does; names and the address, which a request never carries, stay.
    /// </summary>
    public void TakeContactFrom(IdentityRecord newer)
    {
        var gaveChannel = newer.ContactChannel != ContactChannel.None;
        Update(new IdentityDetails(
            GivenName,
            FamilyName,
            OtherNames,
            gaveChannel ? newer.Phone ?? Phone : Phone,
            gaveChannel ? newer.Email ?? Email : Email,
            gaveChannel ? newer.ContactChannel : ContactChannel,
            newer.SafeContactTimes ?? SafeContactTimes,
            ExactAddress));
    }

    public void Update(IdentityDetails details)
    {
        var channel = Guard.Defined(details.ContactChannel, "Contact channel");
        var phone = Guard.Optional(details.Phone, "Phone", PhoneMaxLength);
        var email = Guard.Optional(details.Email, "Email", EmailMaxLength);

        // A channel without the detail it needs would leave the advocate unable to reach the person.
        if (channel is ContactChannel.Phone or ContactChannel.WhatsApp && phone is null)
        {
            throw new DomainException(ErrorCodes.Required, $"A phone number is required when the contact channel is {channel}.");
        }

        if (channel == ContactChannel.Email && email is null)
        {
            throw new DomainException(ErrorCodes.Required, "An email address is required when the contact channel is Email.");
        }

        if (email is not null && (!email.Contains('@', StringComparison.Ordinal) || email.Any(char.IsWhiteSpace)))
        {
            throw new DomainException(ErrorCodes.InvalidFormat, "The email address is not valid.");
        }

        GivenName = Guard.Optional(details.GivenName, "Given name", NameMaxLength);
        FamilyName = Guard.Optional(details.FamilyName, "Family name", NameMaxLength);
        OtherNames = Guard.Optional(details.OtherNames, "Other names", NameMaxLength);
        Phone = phone;
        Email = email;
        ContactChannel = channel;
        SafeContactTimes = Guard.Optional(details.SafeContactTimes, "Safe contact times", SafeContactTimesMaxLength);
        ExactAddress = Guard.Optional(details.ExactAddress, "Exact address", ExactAddressMaxLength);
    }
}
