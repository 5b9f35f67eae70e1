using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Memory;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Security;

/// <summary>
/// One case's data key: 256 random bits that encrypt every protected field of the case, kept only wrapped (encrypted)
/// by the Data Protection key ring. Destroying it (retention) leaves the case's ciphertext unreadable wherever a copy
/// of it lies; the row stays as a tombstone saying when. A case has at most one live key; a case reopened and given
/// new details after its key was destroyed gets a new one.
/// </summary>
public sealed class CaseKey
{
    private CaseKey()
    {
    }

    /// <summary>Written into every ciphertext it made, so a value names its own key.</summary>
    public Guid Id { get; private set; }

    public Guid CaseId { get; private set; }

    /// <summary>The key, encrypted by the key ring; null once destroyed.</summary>
    public string? WrappedKey { get; private set; }

    public DateTime CreatedAtUtc { get; private set; }

    public DateTime? DestroyedAtUtc { get; private set; }

    internal static CaseKey Create(Guid caseId, string wrappedKey, DateTime nowUtc) =>
        new() { Id = Guid.CreateVersion7(), CaseId = caseId, WrappedKey = wrappedKey, CreatedAtUtc = nowUtc };
}

internal sealed class CaseKeyConfiguration : IEntityTypeConfiguration<CaseKey>
{
    public void Configure(EntityTypeBuilder<CaseKey> builder)
    {
        builder.ToTable("CaseKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();

        // At most one live key per case; destroyed ones stay as tombstones.
        builder.HasIndex(k => k.CaseId).IsUnique().HasFilter("\"DestroyedAtUtc\" IS NULL");

        // A case that is deleted takes its keys with it, and with them every copy of its protected fields.
        builder.HasOne<Case>().WithMany().HasForeignKey(k => k.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The key material could not be had: the key was destroyed, is missing, or the key ring cannot unwrap it.</summary>
public sealed class ProtectedDataUnreadableException(string message, Exception? innerException = null)
    : CryptographicException(message, innerException);

/// <summary>
/// Finds, creates, unwraps and destroys case keys. Unwrapped keys are cached by key id for a while (a busy case page
/// reads the same identity again and again); a destroyed key leaves this node's cache at once and other nodes' caches
/// when their entries expire, by when the ciphertext it protected is gone from the database too.
/// </summary>
public sealed class CaseKeyRing : IDisposable
{
    /// <summary>Changing it makes every wrapped key unreadable; it is versioned for that reason.</summary>
    private const string WrapPurpose = "Portal.CaseKey.v1";
    private const int KeyBytes = 32;
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _wrap;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;
    private readonly MemoryCache _keys = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public CaseKeyRing(IDataProtectionProvider dataProtection, IServiceProvider services, TimeProvider clock)
    {
        _wrap = dataProtection.CreateProtector(WrapPurpose);
        _services = services;
        _clock = clock;
    }

    /// <summary>The live keys of these cases, read in the context's connection (and so its transaction).</summary>
    internal async Task<Dictionary<Guid, (Guid KeyId, byte[] Key)>> LiveKeysAsync(PortalDbContext db, IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, (Guid, byte[])>();
        foreach (var chunk in caseIds.Chunk(500))
        {
            var rows = await db.Set<CaseKey>().AsNoTracking()
                .Where(k => chunk.Contains(k.CaseId) && k.DestroyedAtUtc == null)
                .Select(k => new { k.Id, k.CaseId, k.WrappedKey })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                found[row.CaseId] = (row.Id, Cached(row.Id, row.WrappedKey));
            }
        }

        return found;
    }

    /// <summary>The same, for a synchronous SaveChanges.</summary>
    internal Dictionary<Guid, (Guid KeyId, byte[] Key)> LiveKeys(PortalDbContext db, IReadOnlyCollection<Guid> caseIds)
    {
        var found = new Dictionary<Guid, (Guid, byte[])>();
        foreach (var chunk in caseIds.Chunk(500))
        {
            var rows = db.Set<CaseKey>().AsNoTracking()
                .Where(k => chunk.Contains(k.CaseId) && k.DestroyedAtUtc == null)
                .Select(k => new { k.Id, k.CaseId, k.WrappedKey })
                .ToList();
            foreach (var row in rows)
            {
                found[row.CaseId] = (row.Id, Cached(row.Id, row.WrappedKey));
            }
        }

        return found;
    }

    /// <summary>A new key for the case, added to the context so that it is saved with the fields it encrypts.</summary>
    internal (Guid KeyId, byte[] Key) Create(PortalDbContext db, Guid caseId)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var row = CaseKey.Create(caseId, Convert.ToBase64String(_wrap.Protect(key)), _clock.GetUtcDateTime());
        db.Add(row);
        Remember(row.Id, key);
        return (row.Id, key);
    }

    /// <summary>
    /// The key that made a ciphertext. Called while a query materialises its rows, so it reads with a context of its own,
    /// synchronously; a key created in a transaction not yet committed is found in the cache, where its creator put it.
    /// </summary>
    /// <exception cref="ProtectedDataUnreadableException">Destroyed, missing, or the key ring cannot unwrap it.</exception>
    internal byte[] KeyFor(Guid keyId)
    {
        if (_keys.TryGetValue(keyId, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        using var db = _services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var row = db.Set<CaseKey>().AsNoTracking().Where(k => k.Id == keyId).Select(k => new { k.WrappedKey, k.DestroyedAtUtc }).FirstOrDefault();
        if (row is null)
        {
            throw new ProtectedDataUnreadableException($"Case key {keyId} is not in the database: the value it encrypted cannot be read.");
        }

        if (row.WrappedKey is null)
        {
            throw new ProtectedDataUnreadableException($"Case key {keyId} was destroyed on {row.DestroyedAtUtc:yyyy-MM-dd} (retention): the value it encrypted can no longer be read.");
        }

        return Cached(keyId, row.WrappedKey);
    }

    /// <summary>Destroys the case's keys (retention) in the context's transaction; returns how many were live.</summary>
    public async Task<int> DestroyAsync(PortalDbContext db, Guid caseId, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var ids = await db.Set<CaseKey>().Where(k => k.CaseId == caseId && k.DestroyedAtUtc == null).Select(k => k.Id).ToListAsync(cancellationToken);
        await db.Set<CaseKey>().Where(k => ids.Contains(k.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.WrappedKey, (string?)null).SetProperty(k => k.DestroyedAtUtc, nowUtc), cancellationToken);
        foreach (var id in ids)
        {
            _keys.Remove(id);
        }

        return ids.Count;
    }

    public void Dispose() => _keys.Dispose();

    private byte[] Cached(Guid keyId, string? wrappedKey)
    {
        if (_keys.TryGetValue(keyId, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        if (wrappedKey is null)
        {
            throw new ProtectedDataUnreadableException($"Case key {keyId} was destroyed (retention).");
        }

        byte[] key;
        try
        {
            key = _wrap.Unprotect(Convert.FromBase64String(wrappedKey));
        }
        catch (CryptographicException ex)
        {
            throw new ProtectedDataUnreadableException(
                $"Case key {keyId} cannot be unwrapped: the Data Protection key ring does not hold the key that wrapped it ({ex.InnerException?.Message ?? ex.Message}).",
                ex);
        }

        Remember(keyId, key);
        return key;
    }

    private void Remember(Guid keyId, byte[] key) =>
        _keys.Set(keyId, key, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = CacheLifetime });
}
