using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks.Driver;

/// <summary>
/// Submits a static server-rendered form (sign-in, public intake) the way a browser does: GET the page, keep
/// the form's hidden inputs (antiforgery token, Blazor's _handler), set the given fields, POST to its action.
/// </summary>
public static partial class StaticForm
{
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient http, Uri pageUri, IReadOnlyDictionary<string, string> fields, string? formName = null, CancellationToken cancellationToken = default)
    {
        var (target, values) = await FillAsync(http, pageUri, fields, formName, cancellationToken);
        using var content = new FormUrlEncodedContent(values);
        return await http.PostAsync(target, content, cancellationToken);
    }

    /// <summary>GETs the page and returns where its form posts and what it would post with <paramref name="fields"/> set.</summary>
    public static async Task<(Uri Target, Dictionary<string, string> Values)> FillAsync(
        HttpClient http, Uri pageUri, IReadOnlyDictionary<string, string> fields, string? formName = null, CancellationToken cancellationToken = default)
    {
        var html = await http.GetStringAsync(pageUri, cancellationToken);
        var form = FormElement().Matches(html).FirstOrDefault(m =>
                       formName is null || HiddenInputs(m.Value).TryGetValue("_handler", out var handler) && handler == formName)
                   ?? throw new InvalidOperationException($"{pageUri} has no form{(formName is null ? string.Empty : " named " + formName)}.");

        var values = HiddenInputs(form.Value);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        var action = Attribute(form.Groups["open"].Value, "action");
        return (string.IsNullOrEmpty(action) ? pageUri : new Uri(pageUri, WebUtility.HtmlDecode(action)), values);
    }

    internal static Dictionary<string, string> HiddenInputs(string formHtml)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputElement().Matches(formHtml))
        {
            var tag = input.Value;
            if (string.Equals(Attribute(tag, "type"), "hidden", StringComparison.OrdinalIgnoreCase) && Attribute(tag, "name") is { } name)
            {
                values[name] = WebUtility.HtmlDecode(Attribute(tag, "value") ?? string.Empty);
            }
        }

        return values;
    }

    internal static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $@"\s{Regex.Escape(name)}\s*=\s*(""(?<v>[^""]*)""|'(?<v>[^']*)'|(?<v>[^\s>]+))", RegexOptions.IgnoreCase);
        return match.Success ? match.Groups["v"].Value : null;
    }

    [GeneratedRegex(@"(?<open><form\b[^>]*>).*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    internal static partial Regex FormElement();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    internal static partial Regex InputElement();
}

/// <summary>
/// One browser's cookies: sign in once with a static form, then open any number of circuits as that user.
/// </summary>
public sealed class BrowserSession : IDisposable
{
    private readonly Uri _baseUri;

    public BrowserSession(Uri baseUri)
    {
        _baseUri = baseUri;
        Http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = true });
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>Posts the sign-in form at <paramref name="loginPath"/>; throws unless the server set a cookie beyond antiforgery's.</summary>
    public async Task SignInAsync(string loginPath, IReadOnlyDictionary<string, string> fields, string? formName = null)
    {
        using var response = await StaticForm.SubmitAsync(Http, new Uri(_baseUri, loginPath.TrimStart('/')), fields, formName);
        var signedIn = Cookies.GetAllCookies().Any(c => !c.Name.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        if (!response.IsSuccessStatusCode || !signedIn)
        {
            throw new InvalidOperationException($"Signing in at {loginPath} did not set a cookie (HTTP {(int)response.StatusCode}).");
        }
    }

    public Uri BaseUri => _baseUri;

    /// <summary>Options for a circuit of this browser: its client and cookies, so the circuit runs as the signed-in user.</summary>
    public CircuitDriverOptions DriverOptions(string? readyTestId = null, TimeSpan? timeout = null) =>
        new() { HttpClient = Http, Cookies = Cookies, ReadyTestId = readyTestId, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public void Dispose() => Http.Dispose();
}
