using System.Globalization;
using Microsoft.Extensions.Localization;
using Portal.Components.Shared;
using Portal.Domain.Audit;
using Portal.Domain.Cases;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Security;
using Portal.Resources;

namespace Portal.Features.Dashboard;

/// <summary>What a download asks for: the dashboard's figures, or the annual summary's table as the page shows it.</summary>
public enum ExportReport
{
    Figures,
    Annual,
}

/// <summary>
/// The dashboard's figures and the annual summary for download, audited, in the requester's language: the header,
/// sections, measures and categories read as on the page (statuses and types by their translated names, never their
/// code names); numbers and dates stay in one invariant form so that files can be added up.
/// </summary>
public sealed class DashboardExporter(DashboardService dashboard, IAuditLog audit, IStringLocalizer<DashboardText> text, IStringLocalizer<SharedResource> shared)
{
    public IReadOnlyList<string> Header =>
    [
        text["Export_Col_CountryCode"], text["Filter_Country"], text["Export_Col_From"], text["Export_Col_To"],
        text["Annual_Col_Section"], text["Annual_Col_Measure"], text["Export_Col_Category"], text["Annual_Col_Value"],
    ];

    public async Task<IReadOnlyList<ExportRow>> BuildAsync(UserScope scope, DashboardFilter filter, ExportFormat format, CancellationToken cancellationToken = default) =>
        await BuildAsync(scope, filter, format, ExportReport.Figures, cancellationToken);

    public async Task<IReadOnlyList<ExportRow>> BuildAsync(UserScope scope, DashboardFilter filter, ExportFormat format, ExportReport report, CancellationToken cancellationToken = default)
    {
        await dashboard.RequireViewerAsync(scope, "export figures", cancellationToken);
        var countries = await dashboard.GetCountriesAsync(scope, cancellationToken);
        var wanted = filter.CountryCode is null
            ? new List<(string? Code, string Name)> { (null, text["AllCountries"]) }.Concat(countries.Select(c => ((string?)c.Code, c.Name))).ToList()
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
            if (report == ExportReport.Annual)
            {
                var summary = await dashboard.GetAnnualAsync(scope, filter.Year ?? throw new ArgumentOutOfRangeException(nameof(filter), "The annual summary needs a year."), code, cancellationToken);
                period = summary.Figures.Period;
                rows.AddRange(AnnualRows(code ?? "ALL", name, summary));
            }
            else
            {
                var figures = await dashboard.GetAsync(scope, filter with { CountryCode = code }, cancellationToken);
                period = figures.Period;
                rows.AddRange(Rows(code ?? "ALL", name, figures));
            }
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"{format} {report} country={filter.CountryCode ?? "all"} period={period}");
        await audit.RecordAsync(AuditAction.Exported, DashboardService.RecordType, null, detail, cancellationToken);
        return rows;
    }

    /// <summary>The annual summary's table, row for row as the page shows it.</summary>
    public IEnumerable<ExportRow> AnnualRows(string code, string name, AnnualSummary s)
    {
        ExportRow Row(string section, string measure, string category, double value) => new(code, name, s.Figures.Period.From, s.Figures.Period.To, section, measure, category, value);

        string cases = text["Annual_Cases"], assistance = text["Annual_Assistance"], children = text["Annual_Children"], allegations = text["Annual_Allegations"];
        yield return Row(cases, text["Annual_Opened"], "", s.CasesOpened.Value);
        yield return Row(cases, text["Annual_Closed"], "", s.CasesClosed.Value);
        yield return Row(cases, text["Annual_Assisted"], "", s.CasesAssisted.Value);
        foreach (var type in s.Figures.ReferralTypes)
        {
            yield return Row(assistance, shared.Of(type.Type), text["Series_Sent"], type.AllOfType.Value);
            yield return Row(assistance, shared.Of(type.Type), text["Series_Completed"], type.Completed);
        }

        yield return Row(children, text["Annual_ChildrenRegistered"], "", s.ChildrenRegistered);
        yield return Row(children, text["Annual_ChildrenBorn", s.Year], "", s.ChildrenBorn);
        yield return Row(children, text["Annual_ClaimsOpened"], "", s.ClaimsOpened);
        foreach (var (status, claims) in s.ClaimsOpenedByStatusNow)
        {
            yield return Row(children, text["Annual_ClaimsOpened"], shared.Of(status), claims);
        }

        yield return Row(allegations, text["Series_Missions"], "", s.AllegationsUnMissions.Value);
        yield return Row(allegations, text["Series_OtherEntities"], "", s.AllegationsOtherEntities.Value);
        foreach (var (entityType, count) in s.AllegationsByEntityType)
        {
            yield return Row(allegations, shared.Of(entityType), "", count);
        }
    }

    public IEnumerable<ExportRow> Rows(string code, string name, DashboardFigures f)
    {
        ExportRow Row(string section, string measure, string category, double value) => new(code, name, f.Period.From, f.Period.To, section, measure, category, value);

        string now = text["Export_Now"], total = text["Col_Total"], followUps = text["Tile_FollowUps"], casesWord = text["Annual_Cases"];
        foreach (var (status, figure) in f.OpenByStatus)
        {
            yield return Row(now, text["Tile_Open"], shared.Of(status), figure.Value);
        }

        yield return Row(now, text["Tile_Open"], total, f.OpenTotal.Value);
        yield return Row(now, text["Tile_Unclaimed"], "", f.Unclaimed.Value);
        yield return Row(now, text["Export_OldestUnclaimedDays"], "", Math.Round(f.OldestUnclaimedAge?.TotalDays ?? 0, 1));
        yield return Row(now, text["Tile_AwaitingClosure"], "", f.AwaitingClosure.Value);
        yield return Row(now, text["Export_DueToday"], followUps, f.DueToday.Value);
        yield return Row(now, text["Export_DueToday"], casesWord, f.DueToday.Cases);
        yield return Row(now, text["Export_Overdue"], followUps, f.Overdue.Value);
        yield return Row(now, text["Export_Overdue"], casesWord, f.Overdue.Cases);
        foreach (var (status, figure) in f.PendingClaims)
        {
            yield return Row(now, text["Tile_Claims"], shared.Of(status), figure.Value);
        }

        yield return Row(now, text["Tile_Claims"], total, f.PendingClaimsTotal.Value);
        yield return Row(now, text["Export_StaleClaims", f.StaleClaimDays], "", f.StaleClaims.Value);

        string period = text["Export_Period"];
        foreach (var type in f.ReferralTypes)
        {
            var measure = text["Export_ReferralsSent", shared.Of(type.Type)];
            foreach (var cell in f.ReferralCells.Where(c => c.Type == type.Type))
            {
                yield return Row(period, measure, shared.Of(cell.Status), cell.Figure.Value);
            }

            yield return Row(period, measure, total, type.Total);
            if (type.CompletionRate is { } rate)
            {
                yield return Row(period, measure, text["Export_CompletionRate"], Math.Round(rate * 100, 1));
            }
        }

        if (f.IntakeToFirstContact.Median is { } contact)
        {
            yield return Row(period, text["Export_MedianFirstContactHours"], "", Math.Round(contact.TotalHours, 1));
        }

        yield return Row(period, text["Export_MedianFirstContactHours"], text["Export_CasesMeasured"], f.IntakeToFirstContact.Basis.Value);
        if (f.ReferralToAcceptance.Median is { } acceptance)
        {
            yield return Row(period, text["Export_MedianAcceptanceHours"], "", Math.Round(acceptance.TotalHours, 1));
        }

        yield return Row(period, text["Export_MedianAcceptanceHours"], text["Export_ReferralsMeasured"], f.ReferralToAcceptance.Basis.Value);
        foreach (var month in f.Months)
        {
            yield return Row(period, text["Export_CasesOpened"], month.Label, month.Opened.Value);
            yield return Row(period, text["Export_CasesClosed"], month.Label, month.Closed.Value);
        }

        string allYears = text["Export_AllYears"];
        foreach (var year in f.AllegationYears)
        {
            var label = year.Year.ToString(CultureInfo.InvariantCulture);
            yield return Row(allYears, text["Export_AllegationsMissions"], label, year.UnMissions.Value);
            yield return Row(allYears, text["Export_AllegationsOther"], label, year.OtherEntities.Value);
        }
    }
}
