using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Cases;
using Portal.Domain.Intake;
using Portal.Features.Intake;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Live;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>Submissions become cases; status checks and additions; hostile input stored as written and shown inert.</summary>
public sealed class IntakeSubmissionTests : IClassFixture<IntakeAppFactory>
{
    private readonly IntakeAppFactory _factory;

    public IntakeSubmissionTests(IntakeAppFactory factory) => _factory = factory;

    [Fact]
    public async Task A_submission_becomes_a_case_in_its_countrys_intake_queue_and_the_receipt_is_shown_once()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve()
            .With("Form.Account", "Un casque bleu m'a fait du mal. J'ai besoin d'un médecin.")
            .With("Form.Medical", "True")
            .With("Form.Country", "CF")
            .With("Form.Area", "Bangui, 3e arrondissement")
            .With("Form.Phone", "+236 70 00 00 01")
            .With("Form.SafeTimes", "le matin")
            .With("Form.ChildBorn", "No");

        using var posted = await form.PostAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/help/submitted", PathOf(posted.Headers.Location));

        var receipt = await ReadReceiptAsync(client);
        var again = await client.GetStringAsync(new Uri("/help/submitted", UriKind.Relative));
        Assert.Contains("data-testid=\"receipt-gone\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain(receipt.Passphrase, again, StringComparison.Ordinal);

        await using var db = await Db();
        var submission = await db.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode);
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == submission.CaseId);
        Assert.Equal(CaseStatus.Intake, survivorCase.Status);
        Assert.Equal("CF", survivorCase.CountryCode);
        Assert.Equal(submission.Id, survivorCase.IntakeSubmissionId);
        Assert.Equal("en", submission.Language);
        Assert.Equal("en", survivorCase.SubmissionLanguage);
        Assert.Matches(@"^CF-\d{4}-\d{4}$", survivorCase.Number);
        Assert.Equal(RiskLevel.High, survivorCase.RiskLevel);
        Assert.Equal([HelpKind.Medical], submission.HelpWanted);
        Assert.Contains(ContactChannel.Phone, submission.ContactChannels);
        Assert.Equal("Un casque bleu m'a fait du mal. J'ai besoin d'un médecin.", submission.WhatHappened);
        var identity = await db.IdentityRecords.SingleAsync(i => i.CaseId == survivorCase.Id);
        Assert.Equal("+236 70 00 00 01", identity.Phone);
    }

    [Fact]
    public async Task Without_a_served_country_the_case_goes_to_the_default_countrys_queue_with_the_pages_language()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        using (await client.GetAsync(new Uri("/help/language/sw?return=%2Fhelp", UriKind.Relative)))
        {
        }

        var receipt = await SubmitAsync(client, "Nahitaji msaada", ("Form.Country", IntakeCountries.Elsewhere));

        await using var db = await Db();
        var submission = await db.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode);
        var survivorCase = await db.Cases.SingleAsync(c => c.Id == submission.CaseId);
        Assert.Equal(new IntakeOptions().DefaultCountry, survivorCase.CountryCode);
        Assert.Null(submission.CountryCode);
        Assert.Equal("sw", survivorCase.SubmissionLanguage);
        Assert.Equal(RiskLevel.Medium, survivorCase.RiskLevel);
        Assert.False(await db.IdentityRecords.AnyAsync(i => i.CaseId == survivorCase.Id), "no contact given, no identity record");
    }

    [Fact]
    public async Task Case_numbers_are_consecutive_per_country_and_year()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var first = await SubmitAsync(client, "one thing", ("Form.Country", "SS"));
        var second = await SubmitAsync(client, "two things", ("Form.Country", "SS"));

        await using var db = await Db();
        var numbers = await db.IntakeSubmissions.Where(s => s.ReferenceCode == first.ReferenceCode || s.ReferenceCode == second.ReferenceCode)
            .Join(db.Cases, s => s.CaseId, c => c.Id, (s, c) => new { s.ReferenceCode, c.Number })
            .ToDictionaryAsync(x => x.ReferenceCode, x => x.Number);
        var a = int.Parse(numbers[first.ReferenceCode][^4..], System.Globalization.CultureInfo.InvariantCulture);
        var b = int.Parse(numbers[second.ReferenceCode][^4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(a + 1, b);
    }

    [Fact]
    public async Task The_passphrase_is_stored_only_as_a_hash_and_contact_details_are_encrypted_at_rest()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        const string phone = "+509 37 12 9988"; // as typed, and as kept: international format
        var receipt = await SubmitAsync(client, "Please call me", ("Form.Phone", phone), ("Form.Email", "someone@example.org"), ("Form.Country", "HT"));

        await using var db = await Db();
        var submission = await db.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode);
        Assert.DoesNotContain(IntakeSecrets.Normalize(receipt.Passphrase), submission.PassphraseHash!, StringComparison.Ordinal);
        Assert.Contains(phone, submission.ContactDetails!, StringComparison.Ordinal); // readable through the app...

        await using var raw = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDirectory, "portal.db")};Mode=ReadOnly;Pooling=False");
        await raw.OpenAsync();
        await using var command = raw.CreateCommand();
        command.CommandText = "SELECT ContactDetails, WhatHappened, PassphraseHash FROM IntakeSubmissions WHERE ReferenceCode = $code";
        command.Parameters.AddWithValue("$code", receipt.ReferenceCode);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.DoesNotContain(phone, reader.GetString(0), StringComparison.Ordinal); // ...but not from the file
        Assert.DoesNotContain("Please call me", reader.GetString(1), StringComparison.Ordinal);
        Assert.DoesNotContain(IntakeSecrets.Normalize(receipt.Passphrase), reader.GetString(2), StringComparison.Ordinal);
    }

    public static TheoryData<string> HostileTexts() =>
    [
        "<script>alert('x')</script>",
        "<img src=x onerror=\"alert(1)\">",
        "<a href=\"javascript:alert(1)\">click</a> javascript:alert(2)",
        "Normal start \u202Egnp.exe\u202C then \u2067isolate\u2069 end",
    ];

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Hostile_text_is_stored_exactly_as_written_and_rendered_as_inert_text_on_the_status_page(string text)
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var receipt = await SubmitAsync(client, text);

        await using (var db = await Db())
        {
            Assert.Equal(text, (await db.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode)).WhatHappened);
        }

        var html = await CheckStatusAsync(client, receipt.ReferenceCode, receipt.Passphrase);
        var document = await new HtmlParser().ParseDocumentAsync(html);
        var shown = Assert.Single(document.QuerySelectorAll("[data-testid=message-text]"));
        Assert.Equal("BDI", shown.TagName);
        Assert.Equal(text, shown.TextContent);
        Assert.Empty(shown.Children);
        Assert.All(document.QuerySelectorAll("script"), s => Assert.StartsWith("help/", s.GetAttribute("src") ?? "inline", StringComparison.Ordinal));
        Assert.Empty(document.QuerySelectorAll("img"));
        Assert.DoesNotContain(document.QuerySelectorAll("a"), a => (a.GetAttribute("href") ?? string.Empty).StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(document.QuerySelectorAll("*"), e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task A_null_byte_is_refused_with_a_clear_message_and_loses_no_earlier_submission()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var earlier = await SubmitAsync(client, "My earlier request");
        int before;
        await using (var db = await Db())
        {
            before = await db.IntakeSubmissions.CountAsync();
        }

        var form = await PublicForm.LoadAsync(client, "/help");
        using var refused = await form.Solve().With("Form.Account", "text with a \0 null").PostAsync(client);
        var html = await refused.Content.ReadAsStringAsync();

        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, html);
        Assert.Contains("Your text could not be read", html, StringComparison.Ordinal);
        Assert.Contains("null character", html, StringComparison.Ordinal);
        await using (var db = await Db())
        {
            Assert.Equal(before, await db.IntakeSubmissions.CountAsync());
        }

        var status = await CheckStatusAsync(client, earlier.ReferenceCode, earlier.Passphrase);
        Assert.Contains("My earlier request", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_passphrase_and_an_unknown_code_get_the_same_answer()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var receipt = await SubmitAsync(client, "Checking later");

        var wrong = await CheckStatusResponseAsync(client, receipt.ReferenceCode, IntakeSecrets.NewPassphrase());
        var unknown = await CheckStatusResponseAsync(client, "ZZZZ-ZZZZ-ZZZZ", receipt.Passphrase);
        var garbage = await CheckStatusResponseAsync(client, "<script>", "x");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal(wrong.Status, unknown.Status);
        Assert.Equal(wrong.Status, garbage.Status);
        Assert.Equal(Refusal(wrong.Html), Refusal(unknown.Html));
        Assert.Equal(Refusal(wrong.Html), Refusal(garbage.Html));
        Assert.DoesNotContain("Checking later", wrong.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_is_shown_and_added_information_is_kept_with_the_submission_and_marked_unread_for_the_case()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var receipt = await SubmitAsync(client, "First account");

        var status = await CheckStatusAsync(client, receipt.ReferenceCode.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), receipt.Passphrase);
        Assert.Contains("data-status=\"Received\"", status, StringComparison.Ordinal);
        var add = PublicForm.FromHtml(status, "add-form", "/help/status").With("Addition.Text", "He came back <b>yesterday</b>.");
        using var added = await add.PostAsync(client);
        Assert.True(added.StatusCode == HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        Assert.Equal("/help/status?added=true", PathOf(added.Headers.Location));

        using var replayed = await add.PostAsync(client);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode); // the access token is single use

        await using var db = await Db();
        var submission = await db.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode);
        Assert.Equal("He came back <b>yesterday</b>.", Assert.Single(submission.AdditionalInformation).Text);
        Assert.NotNull(submission.UnreadSinceUtc);
        Assert.False(await db.Notes.AnyAsync(n => n.CaseId == submission.CaseId)); // the words stay with the submission, encrypted, not in a note

        var after = await CheckStatusAsync(client, receipt.ReferenceCode, receipt.Passphrase);
        var messages = (await new HtmlParser().ParseDocumentAsync(after)).QuerySelectorAll("[data-testid=message-text]").Select(m => m.TextContent).ToList();
        Assert.Equal(["First account", "He came back <b>yesterday</b>."], messages);
    }

    [Fact]
    public async Task The_thread_shows_the_offices_messages_only_after_the_code_and_passphrase_in_the_persons_language_and_is_never_cached()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        var receipt = await SubmitAsync(client, "Mon premier récit");
        Guid messageId;
        await using (var db = await Db())
        {
            var caseId = (await db.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode)).CaseId!.Value;
            var message = PersonMessage.Write(caseId, "Bonjour, je vous appellerai demain.", "staff-user", "Amina", TimeProvider.System);
            db.PersonMessages.Add(message);
            await db.SaveChangesAsync();
            messageId = message.Id;
        }

        using (var before = await client.GetAsync(new Uri("/help/status", UriKind.Relative)))
        {
            var html = await before.Content.ReadAsStringAsync();
            Assert.DoesNotContain("appellerai", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Amina", html, StringComparison.Ordinal);
        }

        var form = await PublicForm.LoadAsync(client, "/help/status", "status-form");
        using var response = await form.Solve().With("Check.Code", receipt.ReferenceCode).With("Check.Passphrase", receipt.Passphrase).PostAsync(client);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        var entries = document.QuerySelectorAll("[data-testid=messages] > li").ToList();
        Assert.Equal(["thread-Account", "thread-FromOffice"], entries.Select(e => e.GetAttribute("data-testid")));
        var reply = entries[1];
        Assert.Equal("Bonjour, je vous appellerai demain.", reply.QuerySelector("[data-testid=message-text]")!.TextContent);
        Assert.Contains("Amina, votre conseillère ou conseiller", reply.TextContent, StringComparison.Ordinal);
        Assert.Equal(DateTime.UtcNow.ToString("D", System.Globalization.CultureInfo.GetCultureInfo("fr")), reply.QuerySelector("[data-testid=message-date]")!.TextContent);
        Assert.NotNull(document.QuerySelector("[data-private] [data-testid=messages]"));

        await using var check = await Db();
        Assert.NotNull((await check.PersonMessages.SingleAsync(m => m.Id == messageId)).ReadAtUtc);
    }

    [Fact]
    public async Task Open_queues_hear_of_the_new_case_and_of_additions_by_ids_and_country_only()
    {
        var events = new System.Collections.Concurrent.ConcurrentQueue<LiveEvent>();
        using var subscription = _factory.Services.GetRequiredService<ILiveEvents>().Subscribe(
            e => e.CountryCode == "HT",
            e =>
            {
                events.Enqueue(e);
                return Task.CompletedTask;
            });
        using var client = _factory.CreatePublicClient(followRedirects: false);

        var receipt = await SubmitAsync(client, "Live update", ("Form.Country", "HT"));
        var status = await CheckStatusAsync(client, receipt.ReferenceCode, receipt.Passphrase);
        using (await PublicForm.FromHtml(status, "add-form", "/help/status").With("Addition.Text", "More").PostAsync(client))
        {
        }

        Guid caseId;
        Guid submissionId;
        await using (var db = await Db())
        {
            var submission = await db.IntakeSubmissions.SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode);
            (caseId, submissionId) = (submission.CaseId!.Value, submission.Id);
        }

        await WaitUntil(() => events.Count >= 2);
        Assert.Equal(
            [new LiveEvent(LiveEventKind.CaseCreated, "HT", caseId), new LiveEvent(LiveEventKind.PersonWrote, "HT", caseId, submissionId)],
            events.Where(e => e.CaseId == caseId).ToList());
    }

    // Live events are delivered off the publisher's thread.
    private static Task WaitUntil(Func<bool> condition) =>
        Eventually.TrueAsync(condition, TimeSpan.FromSeconds(30), () => "The live events did not arrive.");

    private static string? PathOf(Uri? location) => location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    private async Task<PortalDbContext> Db() =>
        await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private static async Task<IntakeReceipt> SubmitAsync(HttpClient client, string account, params (string Name, string Value)[] fields)
    {
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", account);
        foreach (var (name, value) in fields)
        {
            form.With(name, value);
        }

        using var posted = await form.PostAsync(client);
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        return await ReadReceiptAsync(client);
    }

    private static async Task<IntakeReceipt> ReadReceiptAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/help/submitted", UriKind.Relative));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return new IntakeReceipt(
            document.QuerySelector("[data-testid=reference-code]")!.TextContent,
            document.QuerySelector("[data-testid=passphrase]")!.TextContent);
    }

    private static async Task<string> CheckStatusAsync(HttpClient client, string code, string passphrase)
    {
        var (status, html) = await CheckStatusResponseAsync(client, code, passphrase);
        Assert.True(status == HttpStatusCode.OK, html);
        return html;
    }

    private static async Task<(HttpStatusCode Status, string Html)> CheckStatusResponseAsync(HttpClient client, string code, string passphrase)
    {
        var form = await PublicForm.LoadAsync(client, "/help/status", "status-form");
        using var response = await form.Solve().With("Check.Code", code).With("Check.Passphrase", passphrase).PostAsync(client);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string? Refusal(string html) => new HtmlParser().ParseDocument(html).QuerySelector("[data-testid=form-refused]")?.TextContent;
}
