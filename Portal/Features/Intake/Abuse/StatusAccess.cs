using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Features.Intake.Abuse;

/// <summary>
/// After a successful status check the page carries a short-lived, single-use access token for adding
/// information, so the passphrase is never echoed back into the page and no session cookie is left behind on
/// a shared phone.
/// </summary>
public sealed class StatusAccess(IDataProtectionProvider dataProtection, TimeProvider time, OneTimeTokens used)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Portal.Intake.StatusAccess.v1");

    public string Issue(Guid submissionId)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        return _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{submissionId:N}|{RandomNumberGenerator.GetHexString(32, lowercase: true)}|{expires}"));
    }

    /// <summary>The submission a token grants access to, if it is genuine and unexpired; does not use it up.</summary>
    public Guid? Read(string? token) => Parse(token)?.SubmissionId;

    /// <summary>Uses the token up; true only the first time.</summary>
    public bool TryConsume(string? token) => Parse(token) is { } access && used.TryUse("status:" + access.Id, access.Expires);

    private (Guid SubmissionId, string Id, DateTimeOffset Expires)? Parse(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            if (parts.Length == 3
                && Guid.TryParseExact(parts[0], "N", out var submissionId)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix)
                && DateTimeOffset.FromUnixTimeSeconds(expiresUnix) is var expires
                && expires > time.GetUtcNow())
            {
                return (submissionId, parts[1], expires);
            }
        }
        catch (CryptographicException)
        {
            // Forged or from another key ring: no access.
        }

        return null;
    }
}
