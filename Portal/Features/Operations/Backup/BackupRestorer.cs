using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Data;

namespace Portal.Features.Operations.Backup;

/// <summary>
/// Puts a backup into an empty data folder: never over a live or used one. Everything is checked before anything lands
/// in place: the manifest's checksums, the key, each database's integrity and that its schema is one this version knows.
/// </summary>
public sealed class BackupRestorer(IDbContextFactory<PortalDbContext> dbFactory)
{
    private const string Staging = ".restoring";

    /// <param name="unlock">Turns the manifest's encryption into the cipher (asks for the passphrase, loads the certificate).</param>
    public async Task<BackupManifest> RestoreAsync(string from, BackupSources target, Func<BackupEncryption, BackupCipher> unlock, CancellationToken cancellationToken = default)
    {
        from = Path.GetFullPath(from);
        var manifest = await BackupManifest.ReadAsync(from, cancellationToken) ?? throw new OperationRefusedException("Restore_NoManifest", from);
        if (manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new OperationRefusedException("Restore_UnknownFormat", manifest.Format);
        }

        if (!string.Equals(manifest.DatabaseProvider, target.Provider.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new OperationRefusedException("Restore_ProviderMismatch", manifest.DatabaseProvider, target.Provider);
        }

        var occupied = Directory.Exists(target.DataDirectory)
            ? Directory.EnumerateFiles(target.DataDirectory, "*", SearchOption.AllDirectories).Take(3).Select(target.Relative).ToList()
            : [];
        if (occupied.Count > 0)
        {
            throw new OperationRefusedException("Restore_NotEmpty", target.DataDirectory, string.Join(", ", occupied));
        }

        var encrypted = manifest.Encryption is not null;
        var damaged = new List<string>();
        foreach (var file in manifest.Files)
        {
            var stored = Path.Combine(from, file.StoredName(encrypted));
            if (!IsInside(target, file.Path) || !File.Exists(stored) || !await MatchesAsync(stored, file, cancellationToken))
            {
                damaged.Add(file.Path);
            }
        }

        if (damaged.Count > 0)
        {
            throw new OperationRefusedException("Restore_Damaged", string.Join(", ", damaged));
        }

        var cipher = manifest.Encryption is { } encryption ? unlock(encryption) : null;
        if (cipher is not null && !cipher.Matches(manifest.Encryption!.KeyCheck))
        {
            throw new OperationRefusedException("Restore_WrongKey");
        }

        var staging = Path.Combine(target.DataDirectory, Staging);
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in manifest.Files)
            {
                var staged = Path.Combine(staging, file.Path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
                var stored = Path.Combine(from, file.StoredName(encrypted));
                if (cipher is null)
                {
                    File.Copy(stored, staged);
                }
                else
                {
                    try
                    {
                        await DecryptAsync(cipher, stored, staged, file.Path, cancellationToken);
                    }
                    catch (CryptographicException)
                    {
                        throw new OperationRefusedException("Restore_Damaged", file.Path);
                    }
                }
            }

            foreach (var database in manifest.Files.Where(f => f.Kind is BackupFileKinds.PortalDatabase or BackupFileKinds.JobsDatabase))
            {
                var staged = Path.Combine(staging, database.Path.Replace('/', Path.DirectorySeparatorChar));
                if (await SqliteSnapshot.CheckAsync(staged, cancellationToken) is var check && check != "ok")
                {
                    throw new OperationRefusedException("Restore_DatabaseDamaged", database.Path, check);
                }

                if (database.Kind == BackupFileKinds.PortalDatabase)
                {
                    await RequireKnownSchemaAsync(staged, cancellationToken);
                }
            }

            foreach (var file in manifest.Files)
            {
                var destination = target.Absolute(file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Move(Path.Combine(staging, file.Path.Replace('/', Path.DirectorySeparatorChar)), destination);
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        return manifest;
    }

    private static async Task DecryptAsync(BackupCipher cipher, string stored, string staged, string name, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(stored);
        await using var output = File.Create(staged);
        await cipher.DecryptAsync(input, output, name, cancellationToken);
    }

    private static bool IsInside(BackupSources target, string relative) =>
        target.Absolute(relative).StartsWith(Path.TrimEndingDirectorySeparator(target.DataDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static async Task<bool> MatchesAsync(string path, BackupFile file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return stream.Length == file.Length
            && Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)) == file.Sha256;
    }

    // A backup made by a newer version has migrations this one does not know; its start would fail, or worse.
    private async Task RequireKnownSchemaAsync(string database, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var (_, applied) = await SqliteSnapshot.DescribeAsync(database, cancellationToken);
        var unknown = applied.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new OperationRefusedException("Restore_NewerSchema", string.Join(", ", unknown));
        }
    }
}
