using Portal.Domain.Cases;

namespace Portal.Features.Cases;

public enum CaseAspect
{
    Status,
    Risk,
    Assignee,
    Profile,
    Allegation,
    Consent,
}

public static class CaseChanges
{
    /// <summary>What differs between the case a user was editing and the one someone else saved, so they know what they would override.</summary>
    public static IReadOnlyList<CaseAspect> Between(Case mine, Case theirs)
    {
        var changed = new List<CaseAspect>();
        if (mine.Status != theirs.Status)
        {
            changed.Add(CaseAspect.Status);
        }

        if (mine.RiskLevel != theirs.RiskLevel)
        {
            changed.Add(CaseAspect.Risk);
        }

        if (mine.AssignedAdvocateId != theirs.AssignedAdvocateId)
        {
            changed.Add(CaseAspect.Assignee);
        }

        if (!SameProfile(mine.Profile, theirs.Profile))
        {
            changed.Add(CaseAspect.Profile);
        }

        if (!SameAllegation(mine.Allegation, theirs.Allegation))
        {
            changed.Add(CaseAspect.Allegation);
        }

        if (mine.Consents.Count != theirs.Consents.Count || mine.CurrentConsent?.Id != theirs.CurrentConsent?.Id)
        {
            changed.Add(CaseAspect.Consent);
        }

        return changed;
    }

    private static bool SameProfile(SurvivorProfile a, SurvivorProfile b) =>
        (a.Sex, a.AgeGroup, a.DateOfBirth, a.BirthYear, a.HasDisability, a.DisabilityDetails, a.District, a.ChildBornOfSea) ==
        (b.Sex, b.AgeGroup, b.DateOfBirth, b.BirthYear, b.HasDisability, b.DisabilityDetails, b.District, b.ChildBornOfSea) &&
        a.Languages.SequenceEqual(b.Languages);

    private static bool SameAllegation(Allegation? a, Allegation? b) =>
        a is null || b is null
            ? a is null && b is null
            : (a.EntityType, a.MissionOrEntityName, a.PersonnelCategory, a.Class, a.Subtype, a.IncidentDate, a.DateReported, a.InvestigationStatus, a.InterimActions) ==
              (b.EntityType, b.MissionOrEntityName, b.PersonnelCategory, b.Class, b.Subtype, b.IncidentDate, b.DateReported, b.InvestigationStatus, b.InterimActions);
}
