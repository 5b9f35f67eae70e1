using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Intake.Abuse;

namespace Portal.Tests.TestSupport;

/// <summary>The app with a quick proof of work and limits high enough for a test class's posts.</summary>
public class IntakeAppFactory : PortalAppFactory
{
    public const int Difficulty = 4;

    /// <summary>Accepted submissions per window that count as normal: high, so a test class's posts never raise the proof of work.</summary>
    protected virtual int NormalSubmissions => 100_000;

    protected virtual int FormPostsPerWindow => 1000;

    /// <summary>Over https, as in production: outside Development the antiforgery and session cookies are Secure-only.</summary>
    public HttpClient CreatePublicClient(bool followRedirects = true) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.example.org"), AllowAutoRedirect = followRedirects });

    /// <summary>A public path that fails, appended after the app's own pipeline, to see what an unexpected failure shows.</summary>
    public const string ThrowingPath = "/help/test/throw";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ThrowingHelpPathFilter>());
        builder.UseSetting("Portal:Intake:ProofOfWork:RestBits", Difficulty.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Portal:Intake:ProofOfWork:NormalInTotal", NormalSubmissions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Portal:Intake:ProofOfWork:NormalPerAddress", NormalSubmissions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Portal:Intake:RateLimits:FormPostsPerWindow", FormPostsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Portal:Intake:RateLimits:PageViewsPerWindow", "100000");
    }
}

internal sealed class ThrowingHelpPathFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        next(app);
        Microsoft.AspNetCore.Builder.MapExtensions.Map(app, IntakeAppFactory.ThrowingPath, branch => Microsoft.AspNetCore.Builder.RunExtensions.Run(branch, _ => throw new InvalidOperationException("Secret detail: survivor Jane Doe at 12 Rue X")));
    };
}

/// <summary>One accepted submission per window is the normal load: a handful raise the proof of work.</summary>
public sealed class PressuredIntakeAppFactory : IntakeAppFactory
{
    protected override int NormalSubmissions => 1;
}

/// <summary>Limits low enough to reach in a test.</summary>
public sealed class StrictIntakeAppFactory : IntakeAppFactory
{
    public const int Posts = 2;

    protected override int FormPostsPerWindow => Posts;
}

/// <summary>
/// A public form as a browser would have it: the hidden fields the server rendered (antiforgery token, form name,
/// proof-of-work challenge), ready to be filled in and posted; <see cref="Solve"/> does the browser's proof of work.
/// </summary>
public sealed class PublicForm
{
    private readonly Dictionary<string, string> _fields;

    private PublicForm(string action, Dictionary<string, string> fields, string? challengeField, string? salt, string[] targets, int bits)
    {
        Action = action;
        _fields = fields;
        ChallengeField = challengeField;
        Salt = salt;
        Targets = targets;
        Bits = bits;
    }

    public string Action { get; }

    public string? ChallengeField { get; }

    public string? Salt { get; }

    public IReadOnlyList<string> Targets { get; }

    /// <summary>The challenge's level: each puzzle's number lies below 2^Bits.</summary>
    public int Bits { get; }

    public string? Challenge => ChallengeField is null ? null : _fields[ChallengeField];

    public IReadOnlyDictionary<string, string> Fields => _fields;

    public static async Task<PublicForm> LoadAsync(HttpClient client, string path, string formTestId = "intake-form")
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FromHtml(await response.Content.ReadAsStringAsync(), formTestId, path);
    }

    public static PublicForm FromHtml(string html, string formTestId, string path)
    {
        var document = new HtmlParser().ParseDocument(html);
        var form = document.QuerySelector($"form[data-testid='{formTestId}']") as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form {formTestId} in:\n{html}");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? challengeField = null;
        string? salt = null;
        string[] targets = [];
        var bits = 0;
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
        {
            fields[input.Name!] = input.Value;
            if (input.HasAttribute("data-pow-token"))
            {
                challengeField = input.Name;
                salt = input.GetAttribute("data-pow-salt");
                targets = input.GetAttribute("data-pow-targets")!.Split(' ');
                bits = System.Numerics.BitOperations.Log2((ulong)long.Parse(input.GetAttribute("data-pow-max")!, System.Globalization.CultureInfo.InvariantCulture) + 1);
            }
        }

        return new PublicForm(form.GetAttribute("action") ?? path, fields, challengeField, salt, targets, bits);
    }

    /// <summary>The browser's work: a nonce for the rendered challenge, under the challenge's own prefix.</summary>
    public PublicForm Solve()
    {
        var nonceField = ChallengeField!.Replace(".Challenge", ".Nonce", StringComparison.Ordinal);
        _fields[nonceField] = ProofOfWork.Solve(Salt!, Targets, Bits);
        return this;
    }

    public PublicForm With(string name, string value)
    {
        _fields[name] = value;
        return this;
    }

    public PublicForm Without(string name)
    {
        _fields.Remove(name);
        return this;
    }

    public async Task<HttpResponseMessage> PostAsync(HttpClient client)
    {
        using var content = new FormUrlEncodedContent(_fields);
        return await client.PostAsync(new Uri(Action, UriKind.RelativeOrAbsolute), content);
    }
}
