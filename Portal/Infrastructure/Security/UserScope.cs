using System.Linq.Expressions;
using System.Security.Claims;

namespace Portal.Infrastructure.Security;

/// <summary>
/// What a signed-in staff member may see: their roles and, for an Advocate, their countries. Every feature
/// service filters queries and checks commands with this one object; hiding a button is never the check.
/// </summary>
public sealed class UserScope
{
    public UserScope(string userId, string userName, string displayName, IEnumerable<string> roles, IEnumerable<string> countries, string? sessionId = null, string timeZoneId = "UTC", Guid? providerId = null)
    {
        ProviderId = providerId;
        TimeZoneId = timeZoneId;
        UserId = userId;
        SessionId = sessionId;
        UserName = userName;
        DisplayName = displayName;
        Roles = roles.ToHashSet(StringComparer.Ordinal);
        Countries = countries.ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public string UserId { get; }

    public string UserName { get; }

    /// <summary>
    /// The server-side session the user signed in with (<see cref="StaffSession"/>). Case commands and queries check it is
    /// still open (<see cref="SessionStore.IsOpenAsync"/>); a scope without one, not made at sign-in, is refused there.
    /// </summary>
    public string? SessionId { get; }

    public string DisplayName { get; }

    /// <summary>The IANA time zone every time shown to this user is in (<see cref="Portal.Domain.Common.TimeZones.Describe"/>).</summary>
    public string TimeZoneId { get; }

    public IReadOnlySet<string> Roles { get; }

    /// <summary>The countries assigned to the user; only meaningful for an Advocate.</summary>
    public IReadOnlySet<string> Countries { get; }

    /// <summary>The service provider a Provider user works for.</summary>
    public Guid? ProviderId { get; }

    /// <summary>
    /// Staff of a service provider. They hold no other role (the administration refuses mixing), see no case, and read
    /// only the referrals addressed to <see cref="ProviderId"/>, through their provider copy.
    /// </summary>
    public bool IsProvider => Roles.Contains(Security.Roles.Provider) && ProviderId is not null;

    public bool IsAdvocate => Roles.Contains(Security.Roles.Advocate);

    public bool IsCoordinator => Roles.Contains(Security.Roles.Coordinator);

    public bool IsAdministrator => Roles.Contains(Security.Roles.Administrator);

    /// <summary>Coordinators and Administrators work across every country.</summary>
    public bool AllCountries => IsCoordinator || IsAdministrator;

    /// <summary>The role recorded in the audit trail: the widest one held.</summary>
    public string PrimaryRole =>
        IsAdministrator ? Security.Roles.Administrator
        : IsCoordinator ? Security.Roles.Coordinator
        : IsAdvocate ? Security.Roles.Advocate
        : IsProvider ? Security.Roles.Provider
        : "";

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>True when a record of this country is within the user's scope. A user without a role sees nothing.</summary>
    public bool CanSee(string? countryCode) =>
        !string.IsNullOrEmpty(countryCode) && (AllCountries || (IsAdvocate && Countries.Contains(countryCode)));

    /// <summary>
    /// A filter for a query over records that carry a country code, for EF Core or in-memory queries:
    /// <c>db.Cases.Where(scope.CountryPredicate&lt;Case&gt;(c =&gt; c.CountryCode))</c> or <c>db.Cases.InScope(scope, c =&gt; c.CountryCode)</c>.
    /// </summary>
    public Expression<Func<T, bool>> CountryPredicate<T>(Expression<Func<T, string>> countryOf)
    {
        if (AllCountries)
        {
            return Expression.Lambda<Func<T, bool>>(Expression.Constant(true), countryOf.Parameters);
        }

        // A captured list becomes a query parameter (SQL IN / json_each), not inlined text.
        var allowed = IsAdvocate ? Countries.Select(c => c.ToUpperInvariant()).ToList() : [];
        Expression<Func<string, bool>> contains = code => allowed.Contains(code);
        var body = new ReplaceParameter(contains.Parameters[0], countryOf.Body).Visit(contains.Body);
        return Expression.Lambda<Func<T, bool>>(body, countryOf.Parameters);
    }

    /// <summary>The time zone a signed-in user reads times in, for a component that has the principal but not the scope.</summary>
    public static string TimeZoneOf(ClaimsPrincipal principal) => principal.FindFirstValue(PortalClaimTypes.TimeZone) ?? "UTC";

    public static UserScope? FromPrincipal(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.FindFirstValue(PortalClaimTypes.SessionId) is not { } sessionId)
        {
            return null;
        }

        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var userName = principal.FindFirstValue(ClaimTypes.Name) ?? "";
        return new UserScope(
            userId,
            userName,
            principal.FindFirstValue(PortalClaimTypes.DisplayName) ?? userName,
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value),
            principal.FindAll(PortalClaimTypes.Country).Select(c => c.Value),
            sessionId,
            TimeZoneOf(principal),
            Guid.TryParse(principal.FindFirstValue(PortalClaimTypes.Provider), out var providerId) ? providerId : null);
    }

    private sealed class ReplaceParameter(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
    }
}

public static class ScopeQueryExtensions
{
    /// <summary>Only the records of countries within the user's scope.</summary>
    public static IQueryable<T> InScope<T>(this IQueryable<T> query, UserScope scope, Expression<Func<T, string>> countryOf) =>
        query.Where(scope.CountryPredicate(countryOf));
}
