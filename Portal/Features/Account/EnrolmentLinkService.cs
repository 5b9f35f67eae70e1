using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

/// <summary>
/// One-time enrolment links: the way into an account that has no password yet (the first Administrator, created from
/// the server's console). The link carries a random secret after a '#', so it never reaches a server or proxy log; the
/// account keeps only the secret's SHA-256 hash and its expiry, and the link stops working once used or replaced.
/// </summary>
public sealed class EnrolmentLinkService(UserManager<StaffUser> users, TimeProvider clock)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    private const string TokenProvider = "Portal";
    private const string TokenName = "EnrolmentLink";

    /// <summary>Replaces any earlier link of the account; returns the token to put after '#' in the link.</summary>
    public async Task<string> IssueAsync(StaffUser user, TimeSpan lifetime)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var expires = clock.GetUtcNow() + lifetime;
        var stored = expires.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + Hash(secret);
        Check(await users.SetAuthenticationTokenAsync(user, TokenProvider, TokenName, stored));
        return user.Id + "." + WebEncoders.Base64UrlEncode(secret);
    }

    /// <summary>The full link under the portal's public address.</summary>
    public static string Link(string publicBaseUrl, string token) => publicBaseUrl.TrimEnd('/') + AccountPaths.Enrol + "#" + token;

    /// <summary>The account the token opens, if it is the account's current link and has not expired.</summary>
    public async Task<StaffUser?> FindAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200 || token.Split('.') is not [var userId, var encoded])
        {
            return null;
        }

        byte[] secret;
        try
        {
            secret = WebEncoders.Base64UrlDecode(encoded);
        }
        catch (FormatException)
        {
            return null;
        }

        var user = await users.FindByIdAsync(userId);
        var stored = user is null ? null : await users.GetAuthenticationTokenAsync(user, TokenProvider, TokenName);
        if (stored?.Split(':') is not [var ticks, var hash] || !long.TryParse(ticks, CultureInfo.InvariantCulture, out var expiresTicks))
        {
            return null;
        }

        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash(secret)));
        return matches && clock.GetUtcNow().UtcTicks < expiresTicks ? user : null;
    }

    /// <summary>Whether the account holds a link at all (used or not, expired or not), for the console's list.</summary>
    public async Task<DateTimeOffset?> PendingUntilAsync(StaffUser user) =>
        await users.GetAuthenticationTokenAsync(user, TokenProvider, TokenName) is { } stored
        && stored.Split(':') is [var ticks, _] && long.TryParse(ticks, CultureInfo.InvariantCulture, out var value)
            ? new DateTimeOffset(value, TimeSpan.Zero)
            : null;

    public async Task RevokeAsync(StaffUser user) =>
        Check(await users.RemoveAuthenticationTokenAsync(user, TokenProvider, TokenName));

    private static string Hash(byte[] secret) => Convert.ToHexStringLower(SHA256.HashData(secret));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
