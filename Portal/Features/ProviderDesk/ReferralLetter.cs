using System.Globalization;
using Microsoft.Extensions.Localization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using Portal.Components.Shared;
using Portal.Domain.Common;
using Portal.Domain.Consents;
using Portal.Domain.Referrals;
using Portal.Resources;

namespace Portal.Features.ProviderDesk;

/// <summary>
/// A referral as a letter the provider can print or file. It is made from the <see cref="ProviderCopy"/> alone, so it
/// says of the person only what the consent shares with that provider, and nothing of the allegation.
/// </summary>
public sealed class ReferralLetter(IStringLocalizer<ProviderDeskText> text, IStringLocalizer<SharedResource> shared)
{
    private const double Margin = 56;
    private const double LabelWidth = 150;
    private const double Gap = 8;

    /// <summary>The letter's PDF, in the provider's language, with times in the provider's zone.</summary>
    /// <param name="language">"fr" for French, anything else for English.</param>
    /// <param name="timeZoneId">IANA zone the sent date and appointment are shown in.</param>
    public byte[] Render(ProviderCopy copy, string providerName, string language, string timeZoneId)
    {
        ArgumentNullException.ThrowIfNull(copy);
        // The localizers read the UI culture; the letter's language is the provider's, whoever asks for it.
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language.StartsWith("fr", StringComparison.OrdinalIgnoreCase) ? "fr" : "en");
        try
        {
            using var document = new PdfDocument();
            document.Info.Title = copy.Reference;
            document.Language = CultureInfo.CurrentUICulture.Name;
            using (var pages = new Pages(document, text["Letter_Footer"]))
            {
                Write(pages, copy, providerName, timeZoneId);
            }

            using var output = new MemoryStream();
            document.Save(output, closeStream: false);
            return output.ToArray();
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private void Write(Pages pages, ProviderCopy copy, string providerName, string timeZoneId)
    {
        pages.Text(text["Letter_Title"], Fonts.Title);
        pages.Space(10);
        pages.Row(text["Letter_To"], providerName);
        pages.Row(text["Letter_Reference"], copy.Reference);
        pages.Row(text["Letter_CaseNumber"], copy.CaseNumber);
        pages.Row(text["Letter_Service"], shared.Of(copy.Type));
        pages.Row(text["Letter_Urgency"], shared.Of(copy.Urgency));
        pages.Row(text["Letter_Sent"], copy.SentAtUtc is { } sent ? TimeZones.Describe(sent, timeZoneId) : null);
        pages.Row(text["Letter_Appointment"], copy.AppointmentAtUtc is { } appointment ? TimeZones.Describe(appointment, timeZoneId) : null);

        pages.Heading(text["Letter_Reason"]);
        pages.Text(copy.Reason, Fonts.Body);

        pages.Heading(text["Letter_AboutPerson"]);
        var rows = PersonRows(copy).Where(row => !string.IsNullOrWhiteSpace(row.Value)).ToList();
        foreach (var (label, value) in rows)
        {
            pages.Row(label, value);
        }

        if (rows.Count == 0)
        {
            pages.Text(copy.Shared == SharedField.None ? text["Letter_NotShared"] : text["Letter_NothingRecorded"], Fonts.Body);
        }
    }

    private IEnumerable<(string Label, string? Value)> PersonRows(ProviderCopy copy)
    {
        yield return (text["Letter_Name"], copy.Name);
        yield return (text["Letter_Phone"], copy.Phone);
        yield return (text["Letter_Email"], copy.Email);
        yield return (text["Letter_ContactChannel"], copy.ContactChannel is { } channel ? shared.Of(channel) : null);
        yield return (text["Letter_SafeContactTimes"], copy.SafeContactTimes);
        yield return (text["Letter_Sex"], copy.Sex is { } sex ? shared.Of(sex) : null);
        yield return (text["Letter_AgeGroup"], copy.AgeGroup is { } ageGroup ? shared.Of(ageGroup) : null);
        yield return (text["Letter_BirthYear"], copy.BirthYear?.ToString(CultureInfo.InvariantCulture));
        yield return (text["Letter_Languages"], string.Join(", ", copy.Languages));
        yield return (text["Letter_District"], copy.District);
        yield return (text["Letter_Disability"], copy.HasDisability switch
        {
            true when !string.IsNullOrWhiteSpace(copy.DisabilityDetails) => text["Letter_YesDetails", copy.DisabilityDetails].Value,
            true => text["Letter_Yes"].Value,
            false => text["Letter_No"].Value,
            null => null,
        });
    }

    private static class Fonts
    {
        public static readonly XFont Title;
        public static readonly XFont Heading;
        public static readonly XFont Label;
        public static readonly XFont Body;
        public static readonly XFont Footer;

        // PDFsharp takes one font resolver per process, set before the first font is made; a static constructor runs once, first.
        static Fonts()
        {
            GlobalFontSettings.FontResolver = new LetterFonts();
            var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
            Title = new XFont(LetterFonts.Family, 18, XFontStyleEx.Bold, unicode);
            Heading = new XFont(LetterFonts.Family, 12, XFontStyleEx.Bold, unicode);
            Label = new XFont(LetterFonts.Family, 10, XFontStyleEx.Bold, unicode);
            Body = new XFont(LetterFonts.Family, 10, XFontStyleEx.Regular, unicode);
            Footer = new XFont(LetterFonts.Family, 8, XFontStyleEx.Regular, unicode);
        }
    }

    /// <summary>Lays lines down A4 pages top to bottom, starting a new page (with the footer) when one is full.</summary>
    private sealed class Pages(PdfDocument document, string footer) : IDisposable
    {
        private XGraphics? _graphics;
        private double _y;
        private double _bottom;

        private XGraphics Graphics => _graphics ?? NewPage();

        /// <summary>Wrapped text across the full width; a long text runs on over as many pages as it needs.</summary>
        public void Text(string value, XFont font)
        {
            foreach (var line in Wrap(value, font, Width))
            {
                Line(line, font, Margin);
            }
        }

        /// <summary>A bold label with its value beside it, each wrapped in its column; no row when there is no value.</summary>
        public void Row(string label, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return;
            }

            var labels = Wrap(label, Fonts.Label, LabelWidth);
            var values = Wrap(value, Fonts.Body, Width - LabelWidth - Gap);
            var height = Fonts.Body.GetHeight();
            for (var i = 0; i < Math.Max(labels.Count, values.Count); i++)
            {
                Fit(height);
                if (i < labels.Count)
                {
                    Graphics.DrawString(labels[i], Fonts.Label, XBrushes.Black, new XRect(Margin, _y, LabelWidth, height), XStringFormats.TopLeft);
                }

                if (i < values.Count)
                {
                    Graphics.DrawString(values[i], Fonts.Body, XBrushes.Black, new XRect(Margin + LabelWidth + Gap, _y, Width - LabelWidth - Gap, height), XStringFormats.TopLeft);
                }

                _y += height;
            }

            _y += 3;
        }

        /// <summary>A section heading, kept on the same page as the first line under it.</summary>
        public void Heading(string value)
        {
            Space(12);
            Fit(Fonts.Heading.GetHeight() + 6 + Fonts.Body.GetHeight());
            Line(value, Fonts.Heading, Margin);
            Space(6);
        }

        public void Space(double points) => _y += points;

        public void Dispose() => _graphics?.Dispose();

        private static double Width => PageWidth - (2 * Margin);

        private static double PageWidth => XUnit.FromMillimeter(210).Point;

        private void Line(string value, XFont font, double x)
        {
            var height = font.GetHeight();
            Fit(height);
            Graphics.DrawString(value, font, XBrushes.Black, new XRect(x, _y, PageWidth - Margin - x, height), XStringFormats.TopLeft);
            _y += height;
        }

        private void Fit(double height)
        {
            if (_graphics is null || _y + height > _bottom)
            {
                NewPage();
            }
        }

        private XGraphics NewPage()
        {
            _graphics?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            _graphics = XGraphics.FromPdfPage(page);
            var footerLines = Wrap(footer, Fonts.Footer, Width);
            var footerHeight = footerLines.Count * Fonts.Footer.GetHeight();
            var y = page.Height.Point - Margin - footerHeight;
            foreach (var line in footerLines)
            {
                _graphics.DrawString(line, Fonts.Footer, XBrushes.DimGray, new XRect(Margin, y, Width, Fonts.Footer.GetHeight()), XStringFormats.TopLeft);
                y += Fonts.Footer.GetHeight();
            }

            _bottom = page.Height.Point - Margin - footerHeight - 12;
            _y = Margin;
            return _graphics;
        }

        /// <summary>Greedy word wrap; a word wider than the line (a long e-mail address) is cut where it must be.</summary>
        private List<string> Wrap(string value, XFont font, double width)
        {
            var lines = new List<string>();
            foreach (var paragraph in value.ReplaceLineEndings("\n").Split('\n'))
            {
                var line = "";
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = line.Length == 0 ? word : line + " " + word;
                    if (Fits(candidate, font, width))
                    {
                        line = candidate;
                        continue;
                    }

                    if (line.Length > 0)
                    {
                        lines.Add(line);
                    }

                    line = word;
                    while (!Fits(line, font, width) && line.Length > 1)
                    {
                        var cut = line.Length - 1;
                        while (cut > 1 && !Fits(line[..cut], font, width))
                        {
                            cut--;
                        }

                        lines.Add(line[..cut]);
                        line = line[cut..];
                    }
                }

                lines.Add(line);
            }

            return lines;
        }

        private bool Fits(string value, XFont font, double width) => Graphics.MeasureString(value, font).Width <= width;
    }
}
