using Portal.Domain.Common;

namespace Portal.Domain.Cases;

/// <summary>What a form submits to record or update an allegation.</summary>
public sealed record AllegationDetails(
    AllegationEntityType EntityType,
    string? MissionOrEntityName,
    PersonnelCategory PersonnelCategory,
    AllegationClass Class,
    AllegationSubtype Subtype,
    DateOnly? IncidentDate,
    DateOnly? DateReported,
    InvestigationStatus InvestigationStatus,
    string? InterimActions);

/// <summary>
/// The link to the conduct-and-discipline side. Assistance never depends on it: nothing in the case lifecycle
/// requires an allegation or looks at the investigation status.
/// </summary>
public sealed class Allegation
{
    public const int MissionOrEntityNameMaxLength = 200;
    public const int InterimActionsMaxLength = 4000;

    private Allegation()
    {
    }

    public AllegationEntityType EntityType { get; private set; }

    public string? MissionOrEntityName { get; private set; }

    public PersonnelCategory PersonnelCategory { get; private set; }

    public AllegationClass Class { get; private set; }

    public AllegationSubtype Subtype { get; private set; }

    public DateOnly? IncidentDate { get; private set; }

    public DateOnly? DateReported { get; private set; }

    public InvestigationStatus InvestigationStatus { get; private set; }

    public string? InterimActions { get; private set; }

    /// <summary>Public reporting separates peacekeeping and special political missions from other UN entities.</summary>
    public bool IsUnPeacekeepingOrSpm =>
        EntityType is AllegationEntityType.PeacekeepingMission or AllegationEntityType.SpecialPoliticalMission;

    public static Allegation Create(AllegationDetails details, DateTime utcNow)
    {
        var latestToday = Clock.LatestDateOnEarth(utcNow);
        if (details.IncidentDate is { } incident && incident > latestToday)
        {
            throw new DomainException(ErrorCodes.DateInFuture, $"The incident date {incident:yyyy-MM-dd} is in the future.");
        }

        if (details.DateReported is { } reported && reported > latestToday)
        {
            throw new DomainException(ErrorCodes.DateInFuture, $"The date reported {reported:yyyy-MM-dd} is in the future.");
        }

        if (details.IncidentDate is { } i && details.DateReported is { } r && r < i)
        {
            throw new DomainException(
                ErrorCodes.DateOrder,
                $"The date reported {r:yyyy-MM-dd} is before the incident date {i:yyyy-MM-dd}; an incident cannot be reported before it happened.");
        }

        return new Allegation
        {
            EntityType = Guard.Defined(details.EntityType, "Entity type"),
            MissionOrEntityName = Guard.Optional(details.MissionOrEntityName, "Mission or entity name", MissionOrEntityNameMaxLength),
            PersonnelCategory = Guard.Defined(details.PersonnelCategory, "Personnel category"),
            Class = Guard.Defined(details.Class, "Allegation class"),
            Subtype = Guard.Defined(details.Subtype, "Allegation subtype"),
            IncidentDate = details.IncidentDate,
            DateReported = details.DateReported,
            InvestigationStatus = Guard.Defined(details.InvestigationStatus, "Investigation status"),
            InterimActions = Guard.Optional(details.InterimActions, "Interim actions", InterimActionsMaxLength),
        };
    }
}
