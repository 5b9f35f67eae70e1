using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Infrastructure.Security;

/// <summary>The one check, for sign-in and for every session check, that a provider's staff account is shut out.</summary>
public static class ProviderStaff
{
    /// <summary>True for an account tied to a provider that is no longer <see cref="Provider.OpenToItsStaff"/>.</summary>
    public static async Task<bool> IsShutOutAsync(PortalDbContext db, Guid? providerId, CancellationToken cancellationToken = default) =>
        providerId is { } id && !await db.ServiceProviders.Where(Provider.OpenToItsStaff.Expression).AnyAsync(p => p.Id == id, cancellationToken);
}
