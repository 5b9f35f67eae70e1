namespace Portal.Features.Intake;

/// <summary>
/// What the public intake tells the rest of the office after each successful commit. Ids and country only,
/// never personal data. The queues work replaces <see cref="NoIntakeEvents"/> with a bridge to ILiveEvents
/// (open queues refresh) and, later, notifications to the assigned advocate.
/// </summary>
public interface IIntakeEvents
{
    /// <summary>A new case is waiting in its country's Intake queue.</summary>
    Task CaseOpenedAsync(Guid caseId, string country, CancellationToken cancellationToken);

    /// <summary>The person added information to their case (the assigned advocate, if any, should look).</summary>
    Task InformationAddedAsync(Guid caseId, string country, CancellationToken cancellationToken);
}

/// <summary>Until live events exist nothing listens; the case timeline already holds what happened.</summary>
public sealed class NoIntakeEvents : IIntakeEvents
{
    public Task CaseOpenedAsync(Guid caseId, string country, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task InformationAddedAsync(Guid caseId, string country, CancellationToken cancellationToken) => Task.CompletedTask;
}
