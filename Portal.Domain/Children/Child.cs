using Portal.Domain.Cases;
using Portal.Domain.Common;

namespace Portal.Domain.Children;

/// <summary>A child born of sexual exploitation and abuse, known only by a pseudonym within the mother's case.</summary>
public sealed class Child : VersionedEntity
{
    public const int PseudonymMaxLength = 100;
    public const int NeedsMaxLength = 4000;

    private Child()
    {
    }

    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    /// <summary>A label such as "Child A"; never the child's name.</summary>
    public string Pseudonym { get; private set; } = string.Empty;

    public DateOnly? DateOfBirth { get; private set; }

    public int? BirthYear { get; private set; }

    public Sex Sex { get; private set; }

    public string? Needs { get; private set; }

    public static Child Register(
        Guid caseId,
        string pseudonym,
        DateOnly? dateOfBirth,
        int? birthYear,
        Sex sex,
        string? needs,
        TimeProvider clock)
    {
        var child = new Child { Id = Guid.CreateVersion7(), CaseId = caseId };
        child.Update(pseudonym, dateOfBirth, birthYear, sex, needs, clock);
        return child;
    }

    public void Update(string pseudonym, DateOnly? dateOfBirth, int? birthYear, Sex sex, string? needs, TimeProvider clock)
    {
        BirthDates.Validate(dateOfBirth, birthYear, clock.GetUtcDateTime(), "The child's");
        Pseudonym = Guard.Required(pseudonym, "Pseudonym", PseudonymMaxLength);
        DateOfBirth = dateOfBirth;
        BirthYear = birthYear ?? dateOfBirth?.Year;
        Sex = Guard.Defined(sex, "Sex");
        Needs = Guard.Optional(needs, "Needs", NeedsMaxLength);
        Touch();
    }

    /// <summary>Completed months of age; null without a full date of birth (a year is too coarse for an infant).</summary>
    public int? AgeInMonths(DateOnly today)
    {
        if (DateOfBirth is not { } born || today < born)
        {
            return null;
        }

        var months = ((today.Year - born.Year) * 12) + today.Month - born.Month;
        return today.Day < born.Day ? months - 1 : months;
    }
}
