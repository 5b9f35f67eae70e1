using System.Globalization;
using Microsoft.Extensions.Localization;
using Portal.Infrastructure.Security;

namespace Portal.Features.Dashboard;

public static class DashboardEndpoints
{
    public const string ExportPath = "/reports/export";

    public static IServiceCollection AddPortalDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardFiguresCache>();
        services.AddScoped<DashboardService>();
        services.AddScoped<DashboardExporter>();
        return services;
    }

    /// <summary>
    /// Downloads of the aggregate figures: <c>/reports/export?format=csv|xlsx&amp;country=CF&amp;period=Last12Months&amp;year=2025</c>.
    /// The endpoint checks the role and scope itself (through the service) rather than trusting that only coordinators see the button.
    /// </summary>
    public static IEndpointRouteBuilder MapPortalDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, async (HttpContext context, ICurrentUser currentUser, DashboardExporter exporter, IStringLocalizer<DashboardText> text, CancellationToken cancellationToken) =>
            {
                var scope = await currentUser.FindAsync(cancellationToken);
                if (scope is null)
                {
                    return Results.Unauthorized();
                }

                var query = context.Request.Query;
                if (!TryRead(query, text, out var format, out var filter, out var problem) || !TryReadReport(query, text, out var report, out problem))
                {
                    return Results.Text(problem, statusCode: StatusCodes.Status400BadRequest);
                }

                IReadOnlyList<ExportRow> rows;
                try
                {
                    rows = await exporter.BuildAsync(scope, filter, format, report, cancellationToken);
                }
                catch (AccessDeniedException)
                {
                    return Results.Text(text["Denied"], statusCode: StatusCodes.Status403Forbidden);
                }
                catch (RecordNotFoundException)
                {
                    return Results.Text(text["UnknownCountry"], statusCode: StatusCodes.Status404NotFound);
                }
                catch (ArgumentOutOfRangeException)
                {
                    return Results.Text(text["BadYear"], statusCode: StatusCodes.Status400BadRequest);
                }

                var buffer = new MemoryStream();
                await FigureExport.WriteAsync(buffer, format, exporter.Header, rows, cancellationToken);
                buffer.Position = 0;
                var name = string.Create(CultureInfo.InvariantCulture, $"vrp-{(report == ExportReport.Annual ? "annual" : "figures")}-{(filter.CountryCode ?? "all").ToLowerInvariant()}-{rows.FirstOrDefault()?.From:yyyy-MM-dd}-{rows.FirstOrDefault()?.To:yyyy-MM-dd}.{FigureExport.Extension(format)}");
                return Results.File(buffer, FigureExport.ContentType(format), name);
            })
            .RequireAuthorization();
        return endpoints;
    }

    public static string ExportLink(ExportFormat format, DashboardFilter filter, ExportReport report = ExportReport.Figures)
    {
        var link = $"{ExportPath}?format={format.ToString().ToLowerInvariant()}&period={filter.Period}";
        if (report == ExportReport.Annual)
        {
            link += "&report=annual";
        }

        if (filter.CountryCode is { } country)
        {
            link += "&country=" + Uri.EscapeDataString(country);
        }

        if (filter.Period == DashboardPeriod.Year && filter.Year is { } year)
        {
            link += "&year=" + year.ToString(CultureInfo.InvariantCulture);
        }

        return link;
    }

    /// <summary>Which table: the dashboard's figures (the default) or the annual summary (report=annual, with a year).</summary>
    internal static bool TryReadReport(IQueryCollection query, IStringLocalizer<DashboardText> text, out ExportReport report, out string? problem)
    {
        problem = null;
        report = ExportReport.Figures;
        if (query["report"].ToString() is { Length: > 0 } r && (!Enum.TryParse(r, ignoreCase: true, out report) || !Enum.IsDefined(report) || char.IsAsciiDigit(r[0])))
        {
            problem = text["Export_Problem_Report"];
            return false;
        }

        if (report == ExportReport.Annual && query["year"].Count == 0)
        {
            problem = text["Export_Problem_AnnualYear"];
            return false;
        }

        return true;
    }

    internal static bool TryRead(IQueryCollection query, IStringLocalizer<DashboardText> text, out ExportFormat format, out DashboardFilter filter, out string? problem)
    {
        filter = new DashboardFilter();
        problem = null;
        if (!Enum.TryParse(query["format"].ToString() is { Length: > 0 } f ? f : "csv", ignoreCase: true, out format) || !Enum.IsDefined(format))
        {
            problem = text["Export_Problem_Format"];
            return false;
        }

        var period = DashboardPeriod.Last12Months;
        if (query["period"].ToString() is { Length: > 0 } p && (!Enum.TryParse(p, ignoreCase: true, out period) || !Enum.IsDefined(period) || char.IsAsciiDigit(p[0])))
        {
            problem = text["Export_Problem_Period", string.Join(", ", Enum.GetNames<DashboardPeriod>())];
            return false;
        }

        int? year = null;
        if (query["year"].ToString() is { Length: > 0 } y)
        {
            if (!int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                problem = text["Export_Problem_Year"];
                return false;
            }

            year = parsed;
        }

        var country = query["country"].ToString() is { Length: > 0 } c ? c.Trim().ToUpperInvariant() : null;
        filter = new DashboardFilter(country, period, year);
        return true;
    }
}
