using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Security;

public static class SecurityExtensions
{
    /// <summary>
    /// Identity on the portal's database, cookies backed by server-side sessions, the fallback policy, rate limits, the
    /// current user and the audit trail. The sign-in pages and their messages are the Account feature's (AddPortalAccount).
    /// </summary>
    public static WebApplicationBuilder AddPortalSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.Configure<SecurityOptions>(builder.Configuration.GetSection(SecurityOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication().AddCookie(PortalSignInManager.EnrolmentScheme, options =>
        {
            options.Cookie.Name = ".Portal.Enrolment";
            options.ExpireTimeSpan = TimeSpan.FromMinutes(10);
            options.SlidingExpiration = false;
        });

        services.AddIdentityCore<StaffUser>(options =>
            {
                options.User.RequireUniqueEmail = false;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
                options.SignIn.RequireConfirmedAccount = false;
                options.Lockout.AllowedForNewUsers = true;
                PasswordPolicy.Configure(options.Password);
                options.Tokens.AuthenticatorTokenProvider = TokenOptions.DefaultAuthenticatorProvider;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager<PortalSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>()
            .AddTokenProvider<AuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        services.AddOptions<IdentityOptions>().Configure<IOptions<SecurityOptions>>((identity, security) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = security.Value.MaxFailedAccessAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = security.Value.LockoutDuration;
        });
        services.AddScoped(sp => (PortalSignInManager)sp.GetRequiredService<SignInManager<StaffUser>>());

        var securePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<SecurityOptions>>((cookie, security) =>
        {
            cookie.Cookie.Name = ".Portal.Session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = securePolicy;
            // The server-side session decides idleness; the ticket only carries the absolute limit.
            cookie.ExpireTimeSpan = security.Value.AbsoluteSessionLimit;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = AccountPaths.Login;
            cookie.LogoutPath = AccountPaths.Logout;
            cookie.AccessDeniedPath = AccountPaths.AccessDenied;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.EventsType = typeof(PortalCookieEvents);
        });
        foreach (var scheme in new[] { IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.ExternalScheme, PortalSignInManager.EnrolmentScheme })
        {
            services.AddOptions<CookieAuthenticationOptions>(scheme).Configure(cookie =>
            {
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = securePolicy;
            });
        }

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = ".Portal.Antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = securePolicy;
        });

        services.AddScoped<PortalCookieEvents>();
        services.AddSingleton<SessionStore>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new StaffOrPublicPathRequirement()).Build());
        services.AddSingleton<IAuthorizationHandler, StaffOrPublicPathHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        services.AddScoped<CircuitConnection>();
        services.AddScoped<CircuitHandler, CircuitConnectionHandler>();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<ScopeGuard>();
        services.AddPortalAudit();
        services.AddHttpContextAccessor();

        // Outside Development a circuit error shows the generic message only.
        services.Configure<CircuitOptions>(options => options.DetailedErrors = development);

        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });

        services.AddSingleton<DemoAccounts>();
        return builder;
    }
}
