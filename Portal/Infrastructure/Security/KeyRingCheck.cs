using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Domain.Common;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Security;

/// <summary>
/// A known sample protected with one Data Protection key, kept in the database beside the data that key protects. One
/// canary per key the portal has used, written the first time the key is seen (at start-up, and by the health check
/// after a key rotation), so that a key ring which cannot read it is caught before it leaves data unreadable.
/// </summary>
public sealed class KeyRingCanary
{
    private KeyRingCanary()
    {
    }

    public Guid KeyId { get; private set; }

    public string Sample { get; private set; } = string.Empty;

    public DateTime CreatedAtUtc { get; private set; }

    internal static KeyRingCanary Create(Guid keyId, string sample, DateTime nowUtc) => new() { KeyId = keyId, Sample = sample, CreatedAtUtc = nowUtc };
}

internal sealed class KeyRingCanaryConfiguration : IEntityTypeConfiguration<KeyRingCanary>
{
    public void Configure(EntityTypeBuilder<KeyRingCanary> builder)
    {
        builder.ToTable("KeyRingCanaries");
        builder.HasKey(c => c.KeyId);
        builder.Property(c => c.KeyId).ValueGeneratedNever();
    }
}

/// <summary>Where the key ring lives: a folder (embedded), or the database's DataProtectionKeys table (scaled out).</summary>
public sealed record KeyRingLocation(string? Folder)
{
    public override string ToString() => Folder ?? "the DataProtectionKeys table of the portal's database";
}

/// <param name="UnreadableKeys">Keys whose canary the ring cannot read, each with why.</param>
/// <param name="MissingKeyFiles">Keys the running ring still holds in memory whose file is gone from the folder.</param>
/// <param name="DamagedKeyFiles">Files of the folder that are not readable XML, each with what is wrong: the running ring
/// read them before they were damaged, and fails when it reads them again.</param>
public sealed record KeyRingState(
    IReadOnlyList<(Guid KeyId, string Problem)> UnreadableKeys,
    IReadOnlyList<Guid> MissingKeyFiles,
    IReadOnlyList<string> DamagedKeyFiles)
{
    public bool CanRead => UnreadableKeys.Count == 0;
}

/// <summary>
/// Checks that the Data Protection key ring reads everything the portal stored with it: at start-up (a portal that
/// cannot read its own data refuses to start, saying what to restore) and from /health. A lost key folder would
/// otherwise be replaced by a new, empty ring without a word, and every identity stored so far would be unreadable.
/// </summary>
public sealed class KeyRingCheck(IDataProtectionProvider dataProtection, IDbContextFactory<PortalDbContext> dbFactory, KeyRingLocation location, TimeProvider clock)
{
    private const string Purpose = "Portal.KeyRingCanary.v1";
    private static readonly byte[] SampleText = Encoding.UTF8.GetBytes("Victims' Rights Portal key ring canary");

    public KeyRingLocation Location => location;

    /// <summary>Reads every canary, then makes sure the key in use now has one.</summary>
    public async Task<KeyRingState> CheckAsync(CancellationToken cancellationToken = default)
    {
        var protector = dataProtection.CreateProtector(Purpose);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var canaries = await db.Set<KeyRingCanary>().AsNoTracking().ToListAsync(cancellationToken);
        var unreadable = new List<(Guid, string)>();
        foreach (var canary in canaries)
        {
            try
            {
                if (!protector.Unprotect(Convert.FromBase64String(canary.Sample)).AsSpan().SequenceEqual(SampleText))
                {
                    unreadable.Add((canary.KeyId, "the sample reads back as something else"));
                }
            }
            catch (CryptographicException ex)
            {
                unreadable.Add((canary.KeyId, Innermost(ex)));
            }
        }

        if (unreadable.Count > 0)
        {
            return new KeyRingState(unreadable, [], DamagedKeyFiles());
        }

        byte[] sample;
        try
        {
            sample = protector.Protect(SampleText);
        }
        catch (CryptographicException ex)
        {
            return new KeyRingState([(Guid.Empty, "the key in use cannot protect anything: " + Innermost(ex))], [], DamagedKeyFiles());
        }

        // The payload names its key right after the 4-byte magic header (the Data Protection payload format).
        var keyId = new Guid(sample.AsSpan(4, 16));
        if (canaries.All(c => c.KeyId != keyId))
        {
            db.Add(KeyRingCanary.Create(keyId, Convert.ToBase64String(sample), clock.GetUtcDateTime()));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another node wrote this key's canary first.
            }
        }

        var missing = location.Folder is { } folder
            ? canaries.Select(c => c.KeyId).Append(keyId).Distinct().Where(id => !File.Exists(Path.Combine(folder, $"key-{id:D}.xml"))).ToList()
            : [];
        return new KeyRingState([], missing, DamagedKeyFiles());
    }

    /// <summary>Refuses start-up when the ring cannot read what the database holds, saying what to restore.</summary>
    public async Task VerifyAtStartupAsync(CancellationToken cancellationToken = default)
    {
        var state = await CheckAsync(cancellationToken);
        if (state.CanRead)
        {
            return;
        }

        var lines = new StringBuilder()
            .AppendLine("The portal will not start: its database holds data encrypted with Data Protection keys that the key ring cannot read.")
            .AppendLine($"  Key ring: {location}");
        foreach (var (keyId, problem) in state.UnreadableKeys)
        {
            var file = $"key-{keyId:D}.xml";
            var absent = location.Folder is { } keys && !File.Exists(Path.Combine(keys, file)) ? $" ({file} is not in the folder)" : "";
            lines.AppendLine(keyId == Guid.Empty ? $"  - {problem}" : $"  - key {keyId:D}: {problem}{absent}");
        }

        if (location.Folder is { } keyFolder && !Directory.Exists(keyFolder))
        {
            lines.AppendLine($"  - the folder {keyFolder} does not exist");
        }

        foreach (var damaged in state.DamagedKeyFiles)
        {
            lines.AppendLine($"  - {damaged}");
        }

        lines.Append(location.Folder is { } folder
            ? $"Restore the folder {folder} from the backup taken with this database (all of its key-*.xml files, and the certificate " +
              "that encrypts them if Portal:DataProtection:CertificatePath is set), then start the portal again."
            : "Restore the DataProtectionKeys table from the backup taken with this database (and the certificate that encrypts the " +
              "keys if Portal:DataProtection:CertificatePath is set), then start the portal again.");
        lines.Append(" Do not start it with a new, empty key ring: every identity stored so far would stay unreadable.");
        throw new StartupRefusedException(lines.ToString());
    }

    /// <summary>Key files in the folder that cannot be read as XML, each with what is wrong.</summary>
    private List<string> DamagedKeyFiles()
    {
        if (location.Folder is not { } folder || !Directory.Exists(folder))
        {
            return [];
        }

        var damaged = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal))
        {
            try
            {
                _ = XDocument.Load(file);
            }
            catch (XmlException ex)
            {
                damaged.Add($"{Path.GetFileName(file)} is damaged: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                damaged.Add($"{Path.GetFileName(file)} cannot be read: {ex.Message}");
            }
        }

        return damaged;
    }

    private static string Innermost(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var missing = inner.Message.Contains("was not found in the key ring", StringComparison.Ordinal);
        return missing ? "the key is not in the key ring (its file is missing or was never restored)" : inner.Message;
    }
}

public static class KeyRingCheckExtensions
{
    /// <summary>Run after the database is migrated and before anything is served.</summary>
    public static Task VerifyPortalKeyRingAsync(this WebApplication app) =>
        app.Services.GetRequiredService<KeyRingCheck>().VerifyAtStartupAsync();
}
