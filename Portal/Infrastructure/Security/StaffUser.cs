using Microsoft.AspNetCore.Identity;

namespace Portal.Infrastructure.Security;

/// <summary>A member of the office's staff. Survivors never have accounts.</summary>
public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>Culture code ("en", "fr") for the UI, notifications and e-mails.</summary>
    public string PreferredLanguage { get; set; } = "en";

    /// <summary>The screen the user chose: dark (true) or light (false); null follows the device.</summary>
    public bool? PrefersDarkMode { get; set; }

    /// <summary>IANA time zone in which the user's working hours are counted for reminders.</summary>
    public string TimeZoneId { get; set; } = "UTC";

    /// <summary>Country codes an Advocate works on; Coordinators and Administrators see all countries.</summary>
    public List<string> Countries { get; set; } = [];

    /// <summary>The service provider a Provider user works for; null for the office's own staff.</summary>
    public Guid? ProviderId { get; set; }

    public bool IsDisabled { get; set; }

    /// <summary>
    /// When the account was last unlocked from the server's console: failed sign-ins up to then no longer count against
    /// it, on any node (see <c>SignInThrottle</c>).
    /// </summary>
    public DateTimeOffset? SignInFailuresForgivenUtc { get; set; }

    /// <summary>The last authenticator time step accepted, so a one-time code cannot be replayed within its window.</summary>
    public long? LastTotpTimeStep { get; set; }
}
