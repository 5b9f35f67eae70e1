using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Features.Operations.Backup;

/// <summary>How a backup's files are stored: in clear, or encrypted with a passphrase or the key-ring certificate.</summary>
public sealed record BackupProtection(BackupCipher? Cipher, BackupEncryption? Description)
{
    public static BackupProtection None { get; } = new(null, null);

    public static BackupProtection WithPassphrase(string passphrase)
    {
        if (passphrase.Length < BackupCipher.MinimumPassphraseLength)
        {
            throw new OperationRefusedException("Backup_PassphraseTooShort", BackupCipher.MinimumPassphraseLength);
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var cipher = BackupCipher.FromPassphrase(passphrase, salt);
        return new(cipher, new BackupEncryption
        {
            Method = BackupEncryption.PassphraseMethod,
            Salt = Convert.ToBase64String(salt),
            Iterations = BackupCipher.Pbkdf2Iterations,
            KeyCheck = cipher.KeyCheck,
        });
    }

    public static BackupProtection WithCertificate(X509Certificate2 certificate)
    {
        var (cipher, wrapped) = BackupCipher.ForCertificate(certificate);
        return new(cipher, new BackupEncryption
        {
            Method = BackupEncryption.CertificateMethod,
            CertificateThumbprint = certificate.Thumbprint,
            WrappedKey = Convert.ToBase64String(wrapped),
            KeyCheck = cipher.KeyCheck,
        });
    }
}

/// <summary>
/// Writes a backup folder while the portal serves: the databases through SQLite's online backup, then the key ring and
/// the documents, each checked, hashed and (when asked) encrypted, and the manifest last.
/// </summary>
public sealed class BackupWriter(TimeProvider clock)
{
    public static string PortalVersion { get; } =
        typeof(BackupWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<BackupManifest> WriteAsync(BackupSources sources, string target, BackupProtection protection, CancellationToken cancellationToken = default)
    {
        target = Path.GetFullPath(target);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new OperationRefusedException("Backup_TargetNotEmpty", target);
        }

        Directory.CreateDirectory(target);
        var manifest = new BackupManifest
        {
            CreatedUtc = clock.GetUtcNow(),
            PortalVersion = PortalVersion,
            DatabaseProvider = sources.Provider.ToString(),
            Encryption = protection.Description,
        };

        // The databases first, then the files: a key or a document that a copied row needs existed before the copy began.
        if (sources.PortalDatabase is { } portal && File.Exists(portal))
        {
            var snapshot = await SnapshotAsync(portal, target, cancellationToken);
            var (rows, migrations) = await SqliteSnapshot.DescribeAsync(snapshot, cancellationToken);
            manifest.TableRows = rows;
            manifest.LastMigration = migrations.LastOrDefault();
            await StoreAsync(snapshot, sources.Relative(portal), BackupFileKinds.PortalDatabase, target, protection, manifest, move: true, cancellationToken);
        }

        if (sources.JobsDatabase is { } jobs && File.Exists(jobs))
        {
            var snapshot = await SnapshotAsync(jobs, target, cancellationToken);
            await StoreAsync(snapshot, sources.Relative(jobs), BackupFileKinds.JobsDatabase, target, protection, manifest, move: true, cancellationToken);
        }

        if (sources.KeysDirectory is { } keys && Directory.Exists(keys))
        {
            foreach (var key in Directory.EnumerateFiles(keys, "*.xml").Order(StringComparer.Ordinal))
            {
                await StoreAsync(key, sources.Relative(key), BackupFileKinds.Key, target, protection, manifest, move: false, cancellationToken);
            }
        }

        if (Directory.Exists(sources.DocumentsDirectory))
        {
            foreach (var document in Directory.EnumerateFiles(sources.DocumentsDirectory, "*", SearchOption.AllDirectories).Where(IsComplete).Order(StringComparer.Ordinal))
            {
                await StoreAsync(document, sources.Relative(document), BackupFileKinds.Document, target, protection, manifest, move: false, cancellationToken);
            }
        }

        if (sources.PortalDatabase is null)
        {
            manifest.NotIncluded.Add("postgresql-database: take it with pg_dump (docs/operations.md); it holds the key ring too");
        }

        await manifest.WriteAsync(target, cancellationToken);
        return manifest;
    }

    // Files still being written are named *.part or *.tmp until they are moved into place.
    private static bool IsComplete(string path) =>
        !path.EndsWith(".part", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase);

    private static async Task<string> SnapshotAsync(string database, string target, CancellationToken cancellationToken)
    {
        var snapshot = Path.Combine(target, "." + Path.GetFileName(database) + ".snapshot");
        await SqliteSnapshot.CopyAsync(database, snapshot, cancellationToken);
        var check = await SqliteSnapshot.CheckAsync(snapshot, cancellationToken);
        if (check != "ok")
        {
            throw new OperationRefusedException("Backup_DatabaseDamaged", database, check);
        }

        return snapshot;
    }

    private static async Task StoreAsync(string source, string relative, string kind, string target, BackupProtection protection, BackupManifest manifest, bool move, CancellationToken cancellationToken)
    {
        var file = new BackupFile(relative, kind, 0, "");
        var destination = Path.Combine(target, file.StoredName(protection.Cipher is not null).Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (protection.Cipher is { } cipher)
        {
            await using (var input = File.OpenRead(source))
            await using (var output = File.Create(destination))
            {
                await cipher.EncryptAsync(input, output, relative, cancellationToken);
            }

            if (move)
            {
                File.Delete(source);
            }
        }
        else if (move)
        {
            File.Move(source, destination);
        }
        else
        {
            File.Copy(source, destination);
        }

        // Hashed from the disk, and flushed to it: the manifest vouches for what is really there.
        await using var stored = new FileStream(destination, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.FlushToDisk(stored.SafeFileHandle);
        var hash = await SHA256.HashDataAsync(stored, cancellationToken);
        manifest.Files.Add(file with { Length = stored.Length, Sha256 = Convert.ToHexStringLower(hash) });
    }
}
