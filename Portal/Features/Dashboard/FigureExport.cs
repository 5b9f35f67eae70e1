using System.Globalization;
using System.Text;
using SpreadCheetah;

namespace Portal.Features.Dashboard;

public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// One aggregate figure in an export. Nothing identifying and no free text: codes, labels in the requester's language,
/// period bounds and numbers only.
/// </summary>
public sealed record ExportRow(string CountryCode, string CountryName, DateOnly From, DateOnly To, string Section, string Measure, string Category, double Value);

/// <summary>Writes figures as CSV or XLSX. Every text cell goes through <see cref="SpreadsheetText.Escape"/>.</summary>
public static class FigureExport
{
    public static string ContentType(ExportFormat format) =>
        format == ExportFormat.Xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";

    public static string Extension(ExportFormat format) => format == ExportFormat.Xlsx ? "xlsx" : "csv";

    public static async Task WriteAsync(Stream output, ExportFormat format, IReadOnlyList<string> header, IReadOnlyList<ExportRow> rows, CancellationToken cancellationToken = default)
    {
        if (format == ExportFormat.Xlsx)
        {
            await WriteXlsxAsync(output, header, rows, cancellationToken);
        }
        else
        {
            await WriteCsvAsync(output, header, rows, cancellationToken);
        }
    }

    public static async Task WriteCsvAsync(Stream output, IReadOnlyList<string> header, IReadOnlyList<ExportRow> rows, CancellationToken cancellationToken = default)
    {
        // UTF-8 with a byte-order mark so spreadsheet programs read accented country names correctly; CRLF as RFC 4180 says.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', header.Select(CsvField)));
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(string.Join(',', Texts(row).Select(CsvField).Append(Number(row.Value))));
        }

        await writer.FlushAsync(cancellationToken);
    }

    public static async Task WriteXlsxAsync(Stream output, IReadOnlyList<string> header, IReadOnlyList<ExportRow> rows, CancellationToken cancellationToken = default)
    {
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(output, cancellationToken: cancellationToken);
        await spreadsheet.StartWorksheetAsync("Figures", token: cancellationToken);
        await spreadsheet.AddRowAsync(header.Select(h => new Cell(SpreadsheetText.Escape(h))).ToArray(), cancellationToken);
        foreach (var row in rows)
        {
            var cells = Texts(row).Select(t => new Cell(SpreadsheetText.Escape(t))).Append(new Cell(row.Value)).ToArray();
            await spreadsheet.AddRowAsync(cells, cancellationToken);
        }

        await spreadsheet.FinishAsync(cancellationToken);
    }

    private static IEnumerable<string> Texts(ExportRow row) =>
    [
        row.CountryCode, row.CountryName,
        row.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        row.Section, row.Measure, row.Category,
    ];

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Escaped against formulas, then quoted when it holds a separator, quote or line break.</summary>
    internal static string CsvField(string text)
    {
        var safe = SpreadsheetText.Escape(text);
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}

public static class SpreadsheetText
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>
    /// A spreadsheet program runs a cell that begins with = + - @ (or a tab or carriage return before one) as a
    /// formula, which can fetch data or start programs when the file is opened. A leading apostrophe makes it text.
    /// </summary>
    public static string Escape(string? text)
    {
        var value = text ?? "";
        return value.Length > 0 && FormulaStarts.Contains(value[0]) ? "'" + value : value;
    }
}
