using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Intake;
using Portal.Infrastructure.Data;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>The public form with a short busy timeout, so that a held database answers within a second.</summary>
public sealed class BusyIntakeAppFactory : IntakeAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:Database:BusyTimeout", "00:00:01");
    }
}

/// <summary>The form as sent again after its answer was lost, and as sent while the database is busy.</summary>
public sealed class IntakeResendTests : IClassFixture<BusyIntakeAppFactory>
{
    private readonly BusyIntakeAppFactory _factory;

    public IntakeResendTests(BusyIntakeAppFactory factory) => _factory = factory;

    [Fact]
    public async Task The_same_form_sent_twice_is_one_case_with_the_same_receipt()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", "Sent twice: the first answer never reached me").With("Form.Country", "CF").With("Form.Phone", "+236 70 12 12 12");

        using (var first = await form.PostAsync(client))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        var receipt = await ReadReceiptAsync(client);

        // The browser sends exactly the same form again (its proof of work already spent)...
        using (var again = await form.PostAsync(client))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        Assert.Equal(receipt, await ReadReceiptAsync(client));

        // ...and so does a portal that restarted in between (the same form, a proof of work it has not seen spent).
        var fresh = await PublicForm.LoadAsync(client, "/help");
        fresh.Solve().With("Form.Account", "Sent twice: the first answer never reached me").With("Form.Country", "CF").With("Form.Ticket", form.Fields["Form.Ticket"]);
        using (var afterRestart = await fresh.PostAsync(client))
        {
            Assert.Equal(HttpStatusCode.Redirect, afterRestart.StatusCode);
        }

        Assert.Equal(receipt, await ReadReceiptAsync(client));

        await using var db = await DbAsync();
        var submission = await db.IntakeSubmissions.AsNoTracking().SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode);
        Assert.Equal(1, await db.Cases.CountAsync(c => c.IntakeSubmissionId == submission.Id));
        Assert.Equal(1, await db.IdentityRecords.CountAsync(i => i.CaseId == submission.CaseId));
        using var scope = _factory.Services.CreateScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<IntakeService>().CheckStatusAsync(receipt.ReferenceCode, receipt.Passphrase, CancellationToken.None));
    }

    [Fact]
    public async Task A_different_form_is_a_different_case()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var first = await SubmitAsync(client, "First person");
        var second = await SubmitAsync(client, "Second person");

        Assert.NotEqual(first.ReferenceCode, second.ReferenceCode);
        Assert.NotEqual(first.Passphrase, second.Passphrase);
    }

    [Fact]
    public async Task A_ticket_the_server_did_not_make_is_ignored_and_the_form_received_as_new()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var form = await PublicForm.LoadAsync(client, "/help");
        using var posted = await form.Solve().With("Form.Account", "Forged ticket").With("Form.Ticket", "not-a-ticket").PostAsync(client);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var receipt = await ReadReceiptAsync(client);
        await using var db = await DbAsync();
        Assert.True(await db.IntakeSubmissions.AnyAsync(s => s.ReferenceCode == receipt.ReferenceCode));
    }

    [Theory]
    [Trait(TestPostgres.DatabaseTrait, TestPostgres.SqliteOnly)]
    [InlineData("en", "The office's system is busy for a moment")]
    [InlineData("fr", "Le système du bureau est occupé pour un instant")]
    public async Task While_the_database_is_busy_the_form_says_to_send_again_and_keeps_what_was_typed(string language, string message)
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        using (await client.GetAsync(new Uri($"/help/language/{language}?return=%2Fhelp", UriKind.Relative)))
        {
        }

        var account = $"Typed while the office was busy ({language}) <b>not markup</b>";
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", account).With("Form.Country", "HT").With("Form.Phone", "+509 3000 0000");
        int before;
        await using (var db = await DbAsync())
        {
            before = await db.IntakeSubmissions.CountAsync();
        }

        HttpStatusCode status;
        string html;
        await using (var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_factory.DataDirectory, "portal.db"), Pooling = false }.ToString()))
        {
            await holder.OpenAsync();
            await using var begin = holder.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();

            using var posted = await form.PostAsync(client);
            (status, html) = (posted.StatusCode, await posted.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var document = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Contains(message, document.QuerySelector("[data-testid=form-refused]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(account, document.QuerySelector("#account")!.TextContent);
        Assert.Equal("+509 3000 0000", document.QuerySelector("#phone")!.GetAttribute("value"));
        Assert.Equal(form.Fields["Form.Ticket"], document.QuerySelector("input[name='Form.Ticket']")!.GetAttribute("value"));
        await using (var db = await DbAsync())
        {
            Assert.Equal(before, await db.IntakeSubmissions.CountAsync());
        }

        // Sent again once the database is free (the browser sends back the fields as they were shown), the form is received.
        var retry = PublicForm.FromHtml(html, "intake-form", "/help").Solve()
            .With("Form.Account", document.QuerySelector("#account")!.TextContent)
            .With("Form.Country", "HT")
            .With("Form.Phone", document.QuerySelector("#phone")!.GetAttribute("value")!);
        using (var posted = await retry.PostAsync(client))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        var receipt = await ReadReceiptAsync(client);
        await using (var db = await DbAsync())
        {
            Assert.Equal(before + 1, await db.IntakeSubmissions.CountAsync());
            Assert.Equal(account, (await db.IntakeSubmissions.AsNoTracking().SingleAsync(s => s.ReferenceCode == receipt.ReferenceCode)).WhatHappened);
        }
    }

    private async Task<PortalDbContext> DbAsync() =>
        await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private static async Task<IntakeReceipt> SubmitAsync(HttpClient client, string account)
    {
        var form = await PublicForm.LoadAsync(client, "/help");
        using var posted = await form.Solve().With("Form.Account", account).PostAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        return await ReadReceiptAsync(client);
    }

    private static async Task<IntakeReceipt> ReadReceiptAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/help/submitted", UriKind.Relative));
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return new IntakeReceipt(
            document.QuerySelector("[data-testid=reference-code]")!.TextContent,
            document.QuerySelector("[data-testid=passphrase]")!.TextContent);
    }
}

/// <summary>Long after, the same form is answered as already sent: a page left open cannot bring the receipt back.</summary>
public sealed class IntakeResendWindowTests : IClassFixture<IntakeResendWindowTests.NoResendApp>
{
    private readonly NoResendApp _factory;

    public IntakeResendWindowTests(NoResendApp factory) => _factory = factory;

    [Fact]
    public async Task After_the_resend_window_the_same_form_is_refused_as_already_sent_and_nothing_is_added()
    {
        using var client = _factory.CreatePublicClient(followRedirects: false);
        var form = await PublicForm.LoadAsync(client, "/help");
        form.Solve().With("Form.Account", "Sent long ago");
        using (var first = await form.PostAsync(client))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var again = await form.PostAsync(client);
        var html = await again.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("This form was already sent", (await new HtmlParser().ParseDocumentAsync(html)).QuerySelector("[data-testid=form-refused]")!.TextContent, StringComparison.Ordinal);
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.IntakeSubmissions.CountAsync());
    }

    public sealed class NoResendApp : IntakeAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:Intake:ResendWindow", "00:00:00");
        }
    }
}
