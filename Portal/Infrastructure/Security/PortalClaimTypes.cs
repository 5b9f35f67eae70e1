namespace Portal.Infrastructure.Security;

/// <summary>Claims the portal adds to a signed-in principal, beside Identity's own (id, name, roles, security stamp).</summary>
public static class PortalClaimTypes
{
    /// <summary>The server-side session (<see cref="StaffSession"/>) this principal belongs to.</summary>
    public const string SessionId = "portal:sid";

    public const string DisplayName = "portal:display_name";

    /// <summary>The IANA time zone the user reads times in (StaffUser.TimeZoneId).</summary>
    public const string TimeZone = "portal:time_zone";

    /// <summary>One claim per country an Advocate is assigned to.</summary>
    public const string Country = "portal:country";

    /// <summary>The service provider a Provider user works for.</summary>
    public const string Provider = "portal:provider";

    /// <summary>Identity's authentication-method claim; "mfa" after an authenticator code or recovery code.</summary>
    public const string AuthenticationMethod = "amr";
}
