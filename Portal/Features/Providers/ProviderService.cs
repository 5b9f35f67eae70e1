using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Common;
using Portal.Domain.Referrals;
using Portal.Features.Shared;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Features.Providers;

/// <summary>
/// What the provider form sends. Languages are culture codes such as fr, sg or fr-HT. <paramref name="AnswersInPortal"/>:
/// the provider's own staff answer referrals in the portal, rather than advocates recording their answers by hand.
/// </summary>
public sealed record ProviderInput(string? CountryCode, string? Name, IReadOnlyList<ReferralType> Services, IReadOnlyList<string> Languages, string? Contact, bool AnswersInPortal = false);

/// <summary>A provider as the administration page lists it.</summary>
public sealed record ProviderSummary(
    Guid Id,
    string CountryCode,
    string Name,
    IReadOnlyList<ReferralType> Services,
    IReadOnlyList<string> Languages,
    string? Contact,
    bool IsActive,
    bool AnswersInPortal,
    Seen<Provider> Seen);

/// <summary>
/// Service providers per country, for Administrators only: every call checks the role here, whatever the page shows,
/// and a refusal is audited. Changes go through <see cref="CommandPath"/> (an edit on an old copy is a conflict).
/// Providers are deactivated, never deleted, because past referrals point at them; an inactive provider receives no new
/// referral (the referral itself checks again when it is sent).
/// </summary>
public sealed class ProviderService(IDbContextFactory<PortalDbContext> dbFactory, ScopeGuard guard, IAuditLog audit, CommandPath path, SessionStore sessions)
{
    public static string RecordType => Records.ServiceProvider.Type;

    private static readonly string[] Administrators = [Roles.Administrator];

    public async Task<IReadOnlyList<(string Code, string Name)>> ListCountriesAsync(CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("ListProviderCountries", cancellationToken, Roles.Administrator);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var countries = await db.Countries.AsNoTracking().Select(c => new { c.Code, c.Name }).ToListAsync(cancellationToken);
        return countries.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => (c.Code, c.Name)).ToList();
    }

    public async Task<IReadOnlyList<ProviderSummary>> ListAsync(string countryCode, CancellationToken cancellationToken = default)
    {
        await guard.RequireRoleAsync("ListProviders", cancellationToken, Roles.Administrator);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var country = countryCode.Trim().ToUpperInvariant();
        var providers = await db.ServiceProviders.AsNoTracking().Where(p => p.CountryCode == country).ToListAsync(cancellationToken);
        return providers
            .OrderByDescending(p => p.IsActive)
            .ThenBy(p => p.Name, StringComparer.CurrentCulture)
            .Select(p => new ProviderSummary(p.Id, p.CountryCode, p.Name, p.ServicesOffered.ToList(), p.Languages, p.Contact, p.IsActive, p.AnswersInPortal, Seen.Of(p)))
            .ToList();
    }

    public async Task<CommandResult> CreateAsync(ProviderInput input, CancellationToken cancellationToken = default)
    {
        var scope = await guard.RequireRoleAsync("CreateProvider", cancellationToken, Roles.Administrator);
        var problems = new FormProblems();
        var details = Check(problems, input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ActorId = scope.UserId;
        var country = input.CountryCode?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(country))
        {
            problems.Add("Country", ErrorCodes.Required, "The country is required.");
        }
        else if (!await db.Countries.AnyAsync(c => c.Code == country, cancellationToken))
        {
            problems.Add("Country", ProviderErrors.UnknownCountry, $"Country {country} is not one the portal works in.");
        }

        if (problems.Any)
        {
            return CommandResult.Invalid(problems);
        }

        Provider provider;
        try
        {
            provider = Provider.Create(country!, details.Name!, details.Services, details.Languages, details.Contact);
            provider.SetAnswersInPortal(input.AnswersInPortal);
            db.ServiceProviders.Add(provider);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException refused)
        {
            return CommandResult.Refused(refused);
        }

        await audit.RecordAsync(AuditAction.Created, RecordType, provider.Id.ToString(), provider.CountryCode, cancellationToken);
        return CommandResult.DoneWith(provider.Id);
    }

    /// <param name="provider">The provider as the administrator saw it; a change saved since is a conflict.</param>
    public async Task<CommandResult> UpdateAsync(Seen<Provider> provider, ProviderInput input, CancellationToken cancellationToken = default)
    {
        var scope = await guard.RequireRoleAsync("ChangeProvider", cancellationToken, Roles.Administrator);
        var result = await path.ChangeAsync(scope, provider, "change a provider", Administrators, work =>
        {
            var details = Check(work.Problems, input);
            if (!work.Problems.Any)
            {
                work.Record.Update(details.Name!, details.Services, details.Languages, details.Contact);
                work.Record.SetAnswersInPortal(input.AnswersInPortal);
                work.Audit(AuditAction.Changed, "details");
            }
        }, cancellationToken);
        await EndStaffSessionsIfShutOutAsync(provider.Id, result, cancellationToken);
        return result;
    }

    /// <summary>
    /// Deactivating stops new referrals to the provider; past and open referrals keep pointing at it, and its staff's
    /// accounts stop working (see <see cref="Provider.OpenToItsStaff"/>).
    /// </summary>
    public async Task<CommandResult> SetActiveAsync(Guid providerId, bool active, CancellationToken cancellationToken = default)
    {
        var scope = await guard.RequireRoleAsync(active ? "ActivateProvider" : "DeactivateProvider", cancellationToken, Roles.Administrator);
        var result = await path.ChangeAsync(scope, Seen<Provider>.Latest(providerId), active ? "activate a provider" : "deactivate a provider", Administrators, work =>
        {
            if (active)
            {
                work.Record.Activate();
            }
            else
            {
                work.Record.Deactivate();
            }

            work.Audit(AuditAction.Changed, active ? "activated" : "deactivated");
        }, cancellationToken);
        await EndStaffSessionsIfShutOutAsync(providerId, result, cancellationToken);
        return result;
    }

    /// <summary>
    /// A provider shut out of the portal takes its staff's sessions with it, so their open pages go to sign-in at once
    /// rather than at their next check.
    /// </summary>
    private async Task EndStaffSessionsIfShutOutAsync(Guid providerId, CommandResult result, CancellationToken cancellationToken)
    {
        if (!result.Succeeded)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await ProviderStaff.IsShutOutAsync(db, providerId, cancellationToken))
        {
            return;
        }

        var staff = await db.Users.Where(u => u.ProviderId == providerId).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var userId in staff)
        {
            await sessions.EndAllForUserAsync(userId, SessionEndReason.Disabled, cancellationToken: cancellationToken);
        }
    }

    private static (string? Name, List<ReferralType> Services, List<string> Languages, string? Contact) Check(FormProblems problems, ProviderInput input)
    {
        var name = problems.Text("Name", input.Name, "Provider name", Provider.NameMaxLength, required: true);
        var contact = problems.Text("Contact", input.Contact, "Provider contact", Provider.ContactMaxLength, required: false);
        var services = input.Services.Distinct().ToList();
        if (services.Count == 0)
        {
            problems.Add("Services", ErrorCodes.Required, "A service provider must offer at least one service.");
        }
        else if (services.Any(s => !Enum.IsDefined(s)))
        {
            problems.Add("Services", ErrorCodes.InvalidValue, "One of the services offered is not a referral type.");
        }

        var languages = input.Languages.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var invalid = languages.FirstOrDefault(l => l.Length > Guard.CultureCodeMaxLength || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
        if (invalid is not null)
        {
            problems.Add("Languages", ErrorCodes.InvalidFormat, $"'{invalid}' is not a language code such as fr, sg or fr-HT.", invalid);
        }

        return (name, services, languages, contact);
    }
}

/// <summary>Codes of refusals this feature adds to the domain's; stable, so pages translate them.</summary>
public static class ProviderErrors
{
    public const string UnknownCountry = "provider.unknown-country";
}
