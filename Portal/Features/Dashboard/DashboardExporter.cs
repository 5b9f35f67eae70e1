using System.Globalization;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;

namespace Portal.Features.Dashboard;

/// <summary>The dashboard's figures for download: for all of the user's countries together and for each one, audited.</summary>
public sealed class DashboardExporter(DashboardService dashboard, IAuditLog audit)
{
    public async Task<IReadOnlyList<ExportRow>> BuildAsync(UserScope scope, DashboardFilter filter, ExportFormat format, CancellationToken cancellationToken = default)
    {
        await dashboard.RequireViewerAsync(scope, "export figures", cancellationToken);
        var countries = await dashboard.GetCountriesAsync(scope, cancellationToken);
        var wanted = filter.CountryCode is null
            ? new List<(string? Code, string Name)> { (null, "All countries") }.Concat(countries.Select(c => ((string?)c.Code, c.Name))).ToList()
            : countries.Where(c => string.Equals(c.Code, filter.CountryCode, StringComparison.OrdinalIgnoreCase)).Select(c => ((string?)c.Code, c.Name)).ToList();
        if (wanted.Count == 0)
        {
            // Unknown or out of scope: the service says which (and audits the latter).
            await dashboard.GetAsync(scope, filter, cancellationToken);
        }

        var rows = new List<ExportRow>();
        DateRange? period = null;
        foreach (var (code, name) in wanted)
        {
            var figures = await dashboard.GetAsync(scope, filter with { CountryCode = code }, cancellationToken);
            period = figures.Period;
            rows.AddRange(Rows(code ?? "ALL", name, figures));
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"{format} country={filter.CountryCode ?? "all"} period={period}");
        await audit.RecordAsync(AuditAction.Exported, DashboardService.RecordType, null, detail, cancellationToken);
        return rows;
    }

    public static IEnumerable<ExportRow> Rows(string code, string name, DashboardFigures f)
    {
        ExportRow Row(string section, string measure, string category, double value) => new(code, name, f.Period.From, f.Period.To, section, measure, category, value);

        const string now = "Now";
        foreach (var (status, figure) in f.OpenByStatus)
        {
            yield return Row(now, "Open cases", status.ToString(), figure.Value);
        }

        yield return Row(now, "Open cases", "Total", f.OpenTotal.Value);
        yield return Row(now, "Unclaimed cases", "", f.Unclaimed.Value);
        yield return Row(now, "Days the oldest unclaimed case has waited", "", Math.Round(f.OldestUnclaimedAge?.TotalDays ?? 0, 1));
        yield return Row(now, "Closures awaiting approval", "", f.AwaitingClosure.Value);
        yield return Row(now, "Follow-ups due today", "Follow-ups", f.DueToday.Value);
        yield return Row(now, "Follow-ups due today", "Cases", f.DueToday.Cases);
        yield return Row(now, "Overdue follow-ups", "Follow-ups", f.Overdue.Value);
        yield return Row(now, "Overdue follow-ups", "Cases", f.Overdue.Cases);
        foreach (var (status, figure) in f.PendingClaims)
        {
            yield return Row(now, "Paternity claims pending", status.ToString(), figure.Value);
        }

        yield return Row(now, "Paternity claims pending", "Total", f.PendingClaimsTotal.Value);
        yield return Row(now, $"Paternity claims without movement for {f.StaleClaimDays} days", "", f.StaleClaims.Value);

        const string period = "Period";
        foreach (var type in f.ReferralTypes)
        {
            foreach (var cell in f.ReferralCells.Where(c => c.Type == type.Type))
            {
                yield return Row(period, $"Referrals sent: {type.Type}", cell.Status.ToString(), cell.Figure.Value);
            }

            yield return Row(period, $"Referrals sent: {type.Type}", "Total", type.Total);
            if (type.CompletionRate is { } rate)
            {
                yield return Row(period, $"Referrals sent: {type.Type}", "Completion rate (%)", Math.Round(rate * 100, 1));
            }
        }

        if (f.IntakeToFirstContact.Median is { } contact)
        {
            yield return Row(period, "Median hours from intake to first contact", "", Math.Round(contact.TotalHours, 1));
        }

        yield return Row(period, "Median hours from intake to first contact", "Cases measured", f.IntakeToFirstContact.Basis.Value);
        if (f.ReferralToAcceptance.Median is { } acceptance)
        {
            yield return Row(period, "Median hours from referral to acceptance", "", Math.Round(acceptance.TotalHours, 1));
        }

        yield return Row(period, "Median hours from referral to acceptance", "Referrals measured", f.ReferralToAcceptance.Basis.Value);
        foreach (var month in f.Months)
        {
            yield return Row(period, "Cases opened", month.Label, month.Opened.Value);
            yield return Row(period, "Cases closed", month.Label, month.Closed.Value);
        }

        foreach (var year in f.AllegationYears)
        {
            var label = year.Year.ToString(CultureInfo.InvariantCulture);
            yield return Row("All years", "Allegations: peacekeeping and special political missions", label, year.UnMissions.Value);
            yield return Row("All years", "Allegations: other UN entities and partners", label, year.OtherEntities.Value);
        }
    }
}
