using System.Globalization;
using Deque.AxeCore.Playwright;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.Playwright;
using Portal.Tests.Features.Documents;
using Portal.Tests.TestSupport;

namespace Portal.Tests.EndToEnd;

/// <summary>
/// An advocate attaches a phone photo and a scan to a case in Chromium, is told plainly when a file is not what its name
/// says, downloads the photo without its GPS position, and deletes a document with a reason; an advocate of another
/// country gets nothing by the download address. In English on a desktop, in French on a phone-sized screen.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DocumentFlowTests
{
    private const string DocumentText = "Portal/Features/Documents/DocumentText";
    private const string CaseText = "Portal/Features/Cases/CaseText";
    private const string CommandText = "Portal/Features/Shared/CommandText";
    private const string Shared = "Portal/Resources/SharedResource";

    private readonly EndToEndFixture _fixture;

    public DocumentFlowTests(EndToEndFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("advocate.ss@example.org", "en", 1280, 800)]
    [InlineData("advocate.cf@example.org", "fr", 390, 844)]
    public async Task An_advocate_attaches_downloads_and_deletes_documents_and_nobody_else_gets_them(string advocate, string culture, int width, int height)
    {
        var page = await _fixture.NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        await page.SignInAsync(advocate, returnPath: "/queues/new");
        string Doc(string key, params object[] args) => string.Format(CultureInfo.InvariantCulture, ResourceFiles.Text(DocumentText, key, culture), args);
        string Text(string key) => ResourceFiles.Text(Shared, key, culture);

        await page.ClaimFirstNewIntakeAsync();
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Documents", culture));
        await Assertions.Expect(page.GetByTestId("documents-empty")).ToHaveTextAsync(Doc("None"));

        // A program renamed "consent.pdf" is refused, in the advocate's language, and nothing is listed.
        var input = page.GetByTestId("document-file");
        await Assertions.Expect(page.GetByTestId("document-choose")).ToHaveTextAsync(Doc("Attach_Choose"));
        await Assertions.Expect(page.GetByTestId("document-chosen")).ToHaveTextAsync(Doc("Attach_NoFile"));
        await input.SetInputFilesAsync(new FilePayload { Name = "consent.pdf", MimeType = "application/pdf", Buffer = "MZ this is no PDF"u8.ToArray() });
        await Assertions.Expect(page.GetByTestId("document-chosen")).ToHaveTextAsync("consent.pdf");
        await page.ChooseAsync(page.GetByTestId("document-kind"), Text("Enum_DocumentKind_ConsentForm"));
        await page.GetByTestId("document-attach").ClickAsync();
        await Assertions.Expect(page.GetByTestId("document-file-problem")).ToHaveTextAsync(ResourceFiles.Text(CommandText, "Field_document.not-accepted", culture));
        await Assertions.Expect(page.GetByTestId("document-row")).ToHaveCountAsync(0);

        // A phone photo with its GPS position, as an identity document with a note.
        await input.SetInputFilesAsync(new FilePayload { Name = "IMG_0042.jpg", MimeType = "image/jpeg", Buffer = TestFiles.JpegWithGps(64, 48) });
        await page.ChooseAsync(page.GetByTestId("document-kind"), Text("Enum_DocumentKind_IdentityDocument"));
        await page.GetByTestId("document-note").FillAsync("Voter card <b>front</b>");
        await page.GetByTestId("document-attach").ClickAsync();
        var row = page.GetByTestId("document-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("IMG_0042.jpg");
        await Assertions.Expect(row).ToContainTextAsync("Voter card <b>front</b>");
        await Assertions.Expect(row).ToContainTextAsync(Text("Enum_DocumentKind_IdentityDocument"));

        // The tab with its form and a document passes axe, on the phone as on the desktop; the "attached" message is
        // looked at once it has faded in (half-faded, its colours are not its own).
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");
        var axe = await page.RunAxe();
        Assert.NotEmpty(axe.Passes);
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} at {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));

        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByTestId("document-download").ClickAsync());
        Assert.Equal("IMG_0042.jpg", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), $"download-{Guid.NewGuid()}.jpg");
        await download.SaveAsAsync(saved);
        var metadata = ImageMetadataReader.ReadMetadata(saved);
        File.Delete(saved);
        Assert.Empty(metadata.OfType<GpsDirectory>());
        Assert.Empty(metadata.OfType<ExifIfd0Directory>());

        // Someone of another country, signed in, gets "not found" at the same address.
        var documentId = await row.GetAttributeAsync("data-document-id");
        var other = await _fixture.NewPageAsync();
        await other.SignInAsync(culture == "en" ? "advocate.cf@example.org" : "advocate.ss@example.org", returnPath: "/queues/new");
        var stranger = await other.APIRequest.GetAsync($"/documents/{documentId}");
        Assert.Equal(404, stranger.Status);
        Assert.DoesNotContain("JFIF", await stranger.TextAsync(), StringComparison.Ordinal);
        await other.Context.CloseAsync();

        // Deleted with a reason: the row stays, struck through, saying who and why; the file is gone.
        await row.GetByTestId("document-delete").ClickAsync();
        await page.GetByTestId("document-delete-confirm").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync(ResourceFiles.Text(CommandText, "Field_validation.required", culture));
        await page.GetByTestId("document-delete-reason").FillAsync("Attached to the wrong case");
        await page.GetByTestId("document-delete-confirm").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-deleted", "true");
        await Assertions.Expect(row.GetByTestId("document-deleted")).ToContainTextAsync("Attached to the wrong case");
        await Assertions.Expect(row.GetByTestId("document-download")).ToHaveCountAsync(0);
        Assert.Equal(404, (await page.APIRequest.GetAsync($"/documents/{documentId}")).Status);

        // The timeline tells both steps by the document's type.
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Timeline", culture));
        var identityDocument = Text("Enum_DocumentKind_IdentityDocument");
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync(string.Format(CultureInfo.InvariantCulture, ResourceFiles.Text(CaseText, "Timeline_DocumentAttached", culture), identityDocument));
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync(string.Format(CultureInfo.InvariantCulture, ResourceFiles.Text(CaseText, "Timeline_DocumentDeleted", culture), identityDocument));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_upload_cut_off_by_a_dropped_link_saves_nothing_and_is_sent_again_once_the_link_is_back_and_stored_once()
    {
        var page = await _fixture.NewPageAsync();
        var link = await DroppableLink.RouteAsync(page);
        await page.SignInAsync("advocate.cf@example.org", returnPath: "/queues/new");
        const string culture = "fr";
        string Doc(string key) => ResourceFiles.Text(DocumentText, key, culture);
        await page.ClaimFirstNewIntakeAsync();
        await page.OpenTabAsync(ResourceFiles.Text(CaseText, "Tab_Documents", culture));
        await Assertions.Expect(page.GetByTestId("documents-empty")).ToHaveTextAsync(Doc("None"));

        // A court document: the upload starts, then the link fails under it and drops.
        var scan = new FilePayload { Name = "jugement.pdf", MimeType = "application/pdf", Buffer = TestFiles.Pdf(new string('j', 2 * 1024 * 1024)) };
        var input = page.GetByTestId("document-file");
        await input.SetInputFilesAsync(scan);
        await page.ChooseAsync(page.GetByTestId("document-kind"), ResourceFiles.Text(Shared, "Enum_DocumentKind_Legal", culture));
        await page.GetByTestId("document-attach").ClickAsync();
        await Assertions.Expect(page.GetByTestId("document-progress")).ToBeVisibleAsync();
        link.HoldPageMessages();
        await link.DropAsync();
        await Assertions.Expect(page.GetByTestId("reconnect-modal")).ToBeVisibleAsync();

        // Back: the cut read does not resume; stopping it says nothing was saved, and nothing was.
        await link.RestoreAsync();
        await Assertions.Expect(page.GetByTestId("reconnect-restored")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await page.GetByTestId("document-stop").ClickAsync();
        await Assertions.Expect(page.GetByTestId("document-error")).ToHaveTextAsync(Doc("Attach_Interrupted"));
        await Assertions.Expect(page.GetByTestId("document-row")).ToHaveCountAsync(0);

        // Attach again, the same file still chosen: stored whole, once; sending it once more adds no copy.
        await page.GetByTestId("document-attach").ClickAsync();
        var row = page.GetByTestId("document-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var documentId = await row.GetAttributeAsync("data-document-id");
        Assert.Equal(scan.Buffer.Length, (await (await page.APIRequest.GetAsync($"/documents/{documentId}")).BodyAsync()).Length);

        await input.SetInputFilesAsync(scan);
        await page.ChooseAsync(page.GetByTestId("document-kind"), ResourceFiles.Text(Shared, "Enum_DocumentKind_Legal", culture));
        await page.GetByTestId("document-attach").ClickAsync();
        await Assertions.Expect(input).ToHaveValueAsync("");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }
}
