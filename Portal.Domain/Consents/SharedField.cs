namespace Portal.Domain.Consents;

/// <summary>
/// What the person agreed a provider they consented to share with may read of them, besides the referral itself.
/// Nothing of the allegation is ever shared, and a provider never sees the case's other referrals.
/// </summary>
[Flags]
public enum SharedField
{
    None = 0,

    /// <summary>Given, family and other names.</summary>
    Name = 1,

    /// <summary>Phone, e-mail, the contact channel and safe times to call.</summary>
    Contact = 2,

    /// <summary>Sex, age group and birth year.</summary>
    AgeAndSex = 4,

    Languages = 8,

    District = 16,

    /// <summary>Whether the person has a disability, and what they said of it.</summary>
    Disability = 32,

    /// <summary>The documents attached to the referral itself (a medical certificate for the clinic), never the case's others.</summary>
    Documents = 64,
}

public static class SharedFieldSet
{
    public static IReadOnlyList<SharedField> Each { get; } =
        [SharedField.Name, SharedField.Contact, SharedField.AgeAndSex, SharedField.Languages, SharedField.District, SharedField.Disability, SharedField.Documents];

    public static SharedField All { get; } = Each.Aggregate(SharedField.None, (all, field) => all | field);

    /// <summary>Only the fields the portal knows; anything else a form sends is dropped.</summary>
    public static SharedField Known(SharedField fields) => fields & All;
}
