namespace Portal.Features.Intake;

/// <summary>The public intake: receives submissions, answers status checks, records additions.</summary>
public sealed class IntakeService
{
    public Task<IntakeReceipt> SubmitAsync(IntakeRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Waiting for the domain model on main.");

    public Task<StatusView?> CheckStatusAsync(string? referenceCode, string? passphrase, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Waiting for the domain model on main.");

    public Task<StatusView?> GetStatusAsync(Guid submissionId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Waiting for the domain model on main.");

    public Task<bool> AddInformationAsync(Guid submissionId, string text, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Waiting for the domain model on main.");
}
