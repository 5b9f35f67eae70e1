using System.Text;
using Portal.Features.Dashboard;

namespace Portal.Tests.Features.Dashboard;

public sealed class FigureExportTests
{
    private static readonly string[] Header = ["Country code", "Country", "Period from", "Period to", "Section", "Measure", "Category", "Value"];

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("Haiti", "Haiti")]
    [InlineData("", "")]
    [InlineData("a=b", "a=b")]
    public void Cells_that_a_spreadsheet_would_run_as_formulas_are_made_text(string text, string expected) =>
        Assert.Equal(expected, SpreadsheetText.Escape(text));

    [Fact]
    public async Task Csv_escapes_every_text_cell_and_quotes_separators()
    {
        var rows = new[] { new ExportRow("XZ", "=cmd|' /C calc'!A0, \"quoted\"", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), "Now", "Open cases", "Intake", 12) };
        using var buffer = new MemoryStream();

        await FigureExport.WriteCsvAsync(buffer, Header, rows);

        var text = Encoding.UTF8.GetString(buffer.ToArray()).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Country code,Country,Period from,Period to,Section,Measure,Category,Value", lines[0]);
        Assert.Equal("XZ,\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\",2025-01-01,2025-12-31,Now,Open cases,Intake,12", lines[1]);
    }

    [Fact]
    public async Task Xlsx_is_a_workbook_with_escaped_text()
    {
        var rows = new[] { new ExportRow("XZ", "@evil", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), "Now", "Open cases", "Intake", 12) };
        using var buffer = new MemoryStream();

        await FigureExport.WriteXlsxAsync(buffer, Header, rows);

        var bytes = buffer.ToArray();
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        using var reader = new StreamReader(await sheet.OpenAsync());
        var xml = await reader.ReadToEndAsync();
        Assert.Contains("&apos;@evil", xml.Replace("'", "&apos;", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(">@evil<", xml, StringComparison.Ordinal);
    }
}
