using Portal.Benchmarks.Driver;

namespace Portal.Benchmarks.Hosting;

/// <summary>
/// The portal's Development demo accounts (README.md, "Signing in"), which need no second factor, and signing
/// in with one through the portal's static sign-in form. Every portal page but /help, /account and /health
/// needs a signed-in user, so every portal scenario starts here.
/// </summary>
public static class PortalAccounts
{
    public const string Password = "demo-portal-password-2026";

    public const string LoginPath = "/account/login";

    /// <summary>Advocate for the Central African Republic (CF only).</summary>
    public const string AdvocateCf = "advocate.cf@example.org";

    /// <summary>A second CF advocate: the actor who claims while the first one's pages watch.</summary>
    public const string SecondAdvocateCf = "advocate2.cf@example.org";

    /// <summary>Coordinator: every country.</summary>
    public const string Coordinator = "coordinator@example.org";

    /// <summary>
    /// Signs in as <paramref name="userName"/> and returns the browser session; any number of circuits can then
    /// share its cookie. Throws when the portal did not accept the sign-in (it would land on /account/login again).
    /// </summary>
    public static async Task<BrowserSession> SignInAsync(Uri baseUri, string userName, string password = Password)
    {
        // Disposed in the finally block unless handed to the caller.
        BrowserSession? session = new BrowserSession(baseUri);
        try
        {
            try
            {
                await session.SignInAsync(LoginPath, new Dictionary<string, string>
                {
                    ["Input.UserName"] = userName,
                    ["Input.Password"] = password,
                }, formName: "login");
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"Signing in as {userName}: {ex.Message}", ex);
            }

            // A refused sign-in may still leave a cookie (antiforgery, culture): ask for a page that needs one.
            using var home = await session.Http.GetAsync(baseUri);
            if (home.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/account/", StringComparison.OrdinalIgnoreCase) != false)
            {
                throw new InvalidOperationException($"Signing in as {userName} at {new Uri(baseUri, LoginPath.TrimStart('/'))} did not open a session (landed on {home.RequestMessage?.RequestUri}).");
            }

            var signedIn = session;
            session = null;
            return signedIn;
        }
        finally
        {
            session?.Dispose();
        }
    }
}
