using Portal.Domain.Common;

namespace Portal.Domain.Cases;

/// <summary>
/// What the office knows about the person without identifying them (identity lives in <see cref="IdentityRecord"/>).
/// An immutable value: changes replace the whole profile.
/// </summary>
public sealed class SurvivorProfile
{
    public const int DisabilityDetailsMaxLength = 1000;
    public const int DistrictMaxLength = 200;

    private readonly List<string> _languages = [];

    private SurvivorProfile()
    {
    }

    public Sex Sex { get; private set; }

    /// <summary>As recorded; prefer <see cref="AgeGroupOn"/>, which follows birth data as the person grows up.</summary>
    public AgeGroup AgeGroup { get; private set; }

    public DateOnly? DateOfBirth { get; private set; }

    public int? BirthYear { get; private set; }

    public IReadOnlyList<string> Languages => _languages;

    public bool HasDisability { get; private set; }

    public string? DisabilityDetails { get; private set; }

    /// <summary>District level only: an exact address would identify the person. Even so a quasi-identifier, stored encrypted.</summary>
    public string? District { get; private set; }

    public bool ChildBornOfSea { get; private set; }

    public DateOnly? AdulthoodDate => BirthDates.AdulthoodDate(DateOfBirth, BirthYear);

    /// <summary>A new instance each time: EF owned values must not be shared between cases.</summary>
    public static SurvivorProfile Unknown => new() { Sex = Sex.Unknown, AgeGroup = AgeGroup.Unknown };

    public static SurvivorProfile Create(
        Sex sex,
        AgeGroup ageGroup,
        DateOnly? dateOfBirth,
        int? birthYear,
        IEnumerable<string> languages,
        bool hasDisability,
        string? disabilityDetails,
        string? district,
        bool childBornOfSea,
        TimeProvider clock)
    {
        BirthDates.Validate(dateOfBirth, birthYear, clock.GetUtcDateTime(), "The person's");
        var profile = new SurvivorProfile
        {
            Sex = Guard.Defined(sex, "Sex"),
            AgeGroup = Guard.Defined(ageGroup, "Age group"),
            DateOfBirth = dateOfBirth,
            BirthYear = birthYear ?? dateOfBirth?.Year,
            HasDisability = hasDisability,
            DisabilityDetails = Guard.Optional(disabilityDetails, "Disability details", DisabilityDetailsMaxLength),
            District = Guard.Optional(district, "District", DistrictMaxLength),
            ChildBornOfSea = childBornOfSea,
        };
        profile._languages.AddRange(Guard.CultureCodes(languages, "Language"));
        return profile;
    }

    /// <summary>
    /// The same profile without its quasi-identifiers (the district, what is said of a disability): what stays of a case
    /// whose identity retention erased. They are sealed with the case's key, which the erasure destroys.
    /// </summary>
    public SurvivorProfile WithoutQuasiIdentifiers()
    {
        var profile = new SurvivorProfile
        {
            Sex = Sex,
            AgeGroup = AgeGroup,
            DateOfBirth = DateOfBirth,
            BirthYear = BirthYear,
            HasDisability = HasDisability,
            ChildBornOfSea = ChildBornOfSea,
        };
        profile._languages.AddRange(_languages);
        return profile;
    }

    public AgeGroup AgeGroupOn(DateOnly date) =>
        AdulthoodDate is { } adulthood ? (date >= adulthood ? AgeGroup.Adult : AgeGroup.Child) : AgeGroup;
}
