using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

/// <summary>
/// The signed-in user's choice of a light or dark screen, kept on their account so it follows them across reloads,
/// browsers and nodes. Nothing chosen yet means following the device.
/// </summary>
public sealed class ThemePreferenceService(IDbContextFactory<PortalDbContext> dbFactory, ICurrentUser currentUser)
{
    /// <summary>True for dark, false for light, null when the user has not chosen (or nobody is signed in).</summary>
    public async Task<bool?> GetDarkModeAsync(CancellationToken cancellationToken = default)
    {
        if (await currentUser.FindAsync(cancellationToken) is not { } scope)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == scope.UserId).Select(u => u.PrefersDarkMode).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Keeps the choice for the signed-in user; only their own account is ever changed.</summary>
    public async Task SetDarkModeAsync(bool dark, CancellationToken cancellationToken = default)
    {
        var scope = await currentUser.GetAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == scope.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.PrefersDarkMode, dark), cancellationToken);
    }
}
