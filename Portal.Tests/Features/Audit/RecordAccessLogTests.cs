using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Features.Audit;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Audit;

public sealed class RecordAccessLogTests : MudBunitContext
{
    [Fact]
    public void Shows_who_looked_at_the_record_to_those_the_service_allows()
    {
        var entry = AuditEntry.Append(null, new AuditActor("u1", "advocate.cd@example.org", Roles.Advocate, "192.0.2.7"), AuditAction.ViewedCase, "Case", "CD-2026-0042", null, TimeProvider.System);
        Services.AddSingleton<IAuditLog>(new FakeAuditLog(entries: [entry]));
        Render<MudBlazor.MudPopoverProvider>();

        var cut = Render<RecordAccessLog>(p => p.Add(c => c.RecordType, "Case").Add(c => c.RecordId, "CD-2026-0042"));

        Assert.Contains("advocate.cd@example.org", cut.Find("[data-testid=record-access-log]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Viewed the case", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_nothing_when_the_service_refuses()
    {
        Services.AddSingleton<IAuditLog>(new FakeAuditLog(entries: null));

        var cut = Render<RecordAccessLog>(p => p.Add(c => c.RecordType, "Case").Add(c => c.RecordId, "CD-2026-0042"));

        Assert.Empty(cut.FindAll("[data-testid=record-access-log]"));
    }

    private sealed class FakeAuditLog(IReadOnlyList<AuditEntry>? entries) : IAuditLog
    {
        public Task RecordAsync(AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RecordAsAsync(AuditActor actor, AuditAction action, string? recordType, string? recordId, string? detail = null, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<AuditEntry>> GetForRecordAsync(string recordType, string recordId, CancellationToken cancellationToken = default) =>
            entries is null ? throw new AccessDeniedException("GetForRecordAsync") : Task.FromResult(entries);

        public Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AuditChainVerification> VerifyChainAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
