using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Features.Operations.Backup;

/// <summary>
/// manifest.json, written last: a backup folder without one is incomplete. It lists every file with its length and the
/// SHA-256 of the bytes as stored (encrypted or not), how the files are encrypted, the schema the database was at, and
/// the row count of each table in the copy, so an operator can compare a restore with what they expect.
/// </summary>
public sealed class BackupManifest
{
    public const string FileName = "manifest.json";
    public const string CurrentFormat = "victims-rights-portal-backup/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Format { get; set; } = CurrentFormat;

    public DateTimeOffset CreatedUtc { get; set; }

    public string PortalVersion { get; set; } = "";

    public string DatabaseProvider { get; set; } = "";

    /// <summary>The last migration applied to the copied database (SQLite).</summary>
    public string? LastMigration { get; set; }

    public BackupEncryption? Encryption { get; set; }

    public List<BackupFile> Files { get; set; } = [];

    /// <summary>Rows per table of the copied portal database (SQLite).</summary>
    public SortedDictionary<string, long> TableRows { get; set; } = [];

    /// <summary>What the operator keeps by other means (the PostgreSQL dump, the key-ring certificate).</summary>
    public List<string> NotIncluded { get; set; } = [];

    public static async Task<BackupManifest?> ReadAsync(string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, cancellationToken);
    }

    public async Task WriteAsync(string folder, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        var partial = path + ".partial";
        await using (var stream = File.Create(partial))
        {
            await JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            RandomAccess.FlushToDisk(stream.SafeFileHandle);
        }

        File.Move(partial, path);
    }
}

public static class BackupFileKinds
{
    public const string PortalDatabase = "portal-database";
    public const string JobsDatabase = "jobs-database";
    public const string Key = "data-protection-key";
    public const string Document = "document";
}

/// <param name="Path">Relative to the data folder, with '/' separators (the name in the backup adds ".enc" when encrypted).</param>
public sealed record BackupFile(string Path, string Kind, long Length, string Sha256)
{
    public string StoredName(bool encrypted) => encrypted ? Path + ".enc" : Path;
}

public sealed class BackupEncryption
{
    public const string PassphraseMethod = "passphrase";
    public const string CertificateMethod = "certificate";

    public string Method { get; set; } = "";

    public string Cipher { get; set; } = "AES-256-GCM, 1 MiB chunks";

    /// <summary>PBKDF2-SHA256 salt (passphrase).</summary>
    public string? Salt { get; set; }

    public int? Iterations { get; set; }

    /// <summary>The certificate the data key is wrapped with (RSA-OAEP-SHA256).</summary>
    public string? CertificateThumbprint { get; set; }

    public string? WrappedKey { get; set; }

    public string KeyCheck { get; set; } = "";
}
