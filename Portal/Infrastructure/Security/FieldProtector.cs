using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Encrypts identifying fields (names, phone numbers, addresses, what the person wrote) before they reach the database,
/// so that the database file alone never reveals who a survivor is. A field of a case is sealed with that case's own
/// key (<see cref="CaseKeyRing"/>; AES-256-GCM), so destroying the one key destroys every field of the case at once,
/// in the database and in every copy of it. A protected value that belongs to no case is sealed by the Data
/// Protection key ring directly. Either way the stored value says how it was sealed, and which key sealed it.
/// <para>
/// Stored form: base64 of a format byte, then for a case key its id (16 bytes), the nonce (12), the tag (16) and the
/// ciphertext; for the key ring, the key ring's own payload. An empty text is stored empty: there is nothing in it.
/// </para>
/// </summary>
public sealed class FieldProtector(IDataProtectionProvider provider, CaseKeyRing keys)
{
    private const byte CaseKeyFormat = 1;
    private const byte KeyRingFormat = 2;
    private const int HeaderLength = 1 + 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    // Changing the purpose makes every value sealed by the key ring unreadable; it is versioned for that reason.
    private readonly IDataProtector _ring = provider.CreateProtector("Portal.IdentifyingField.v1");

    public string Seal(string plaintext, Guid keyId, byte[] key) =>
        plaintext.Length == 0 ? plaintext : Convert.ToBase64String(Seal(Encoding.UTF8.GetBytes(plaintext), keyId, key));

    public string SealWithKeyRing(string plaintext)
    {
        if (plaintext.Length == 0)
        {
            return plaintext;
        }

        var payload = _ring.Protect(Encoding.UTF8.GetBytes(plaintext));
        var stored = new byte[1 + payload.Length];
        stored[0] = KeyRingFormat;
        payload.CopyTo(stored, 1);
        return Convert.ToBase64String(stored);
    }

    /// <exception cref="ProtectedDataUnreadableException">The key is destroyed or missing, or the value was altered.</exception>
    public string Open(string stored)
    {
        if (stored.Length == 0)
        {
            return stored;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(stored);
        }
        catch (FormatException ex)
        {
            throw new ProtectedDataUnreadableException("A protected value is not in the stored form: it was altered or never sealed.", ex);
        }

        return Encoding.UTF8.GetString(Open(bytes));
    }

    /// <summary>
    /// Seals bytes with the case's key, creating the key (in <paramref name="db"/>'s change tracker, saved with the
    /// caller's next SaveChanges) when the case has none yet. The way to keep a per-file key: the file's own key sealed
    /// by the case key is destroyed with the case.
    /// </summary>
    public async Task<byte[]> SealForCaseAsync(PortalDbContext db, Guid caseId, byte[] data, CancellationToken cancellationToken = default)
    {
        var live = await keys.LiveKeysAsync(db, [caseId], cancellationToken);
        var (keyId, key) = live.TryGetValue(caseId, out var found) ? found : keys.Create(db, caseId);
        return Seal(data, keyId, key);
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, Guid keyId, byte[] key)
    {
        var stored = new byte[HeaderLength + NonceLength + TagLength + plaintext.Length];
        stored[0] = CaseKeyFormat;
        keyId.TryWriteBytes(stored.AsSpan(1, 16));
        var nonce = stored.AsSpan(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(nonce, plaintext, stored.AsSpan(HeaderLength + NonceLength + TagLength), stored.AsSpan(HeaderLength + NonceLength, TagLength), stored.AsSpan(0, HeaderLength));
        return stored;
    }

    /// <exception cref="ProtectedDataUnreadableException">The key is destroyed or missing, or the value was altered.</exception>
    public byte[] Open(byte[] stored)
    {
        if (stored.Length > HeaderLength + NonceLength + TagLength && stored[0] == CaseKeyFormat)
        {
            return Open(stored, keys.KeyFor(new Guid(stored.AsSpan(1, 16))));
        }

        if (stored.Length > 1 && stored[0] == KeyRingFormat)
        {
            try
            {
                return _ring.Unprotect(stored.AsSpan(1).ToArray());
            }
            catch (CryptographicException ex)
            {
                throw new ProtectedDataUnreadableException($"The Data Protection key ring cannot read a protected value ({ex.InnerException?.Message ?? ex.Message}).", ex);
            }
        }

        throw new ProtectedDataUnreadableException("A protected value is not in the stored form: it was altered or never sealed.");
    }

    /// <summary>Opens what <see cref="Seal(ReadOnlySpan{byte}, Guid, byte[])"/> sealed with a key the caller holds (a file's own key).</summary>
    /// <exception cref="ProtectedDataUnreadableException">Not sealed with this key, or altered.</exception>
    public byte[] Open(byte[] stored, byte[] key)
    {
        if (stored.Length < HeaderLength + NonceLength + TagLength || stored[0] != CaseKeyFormat)
        {
            throw new ProtectedDataUnreadableException("A protected value is not in the stored form: it was altered or never sealed.");
        }

        var keyId = new Guid(stored.AsSpan(1, 16));
        var plaintext = new byte[stored.Length - HeaderLength - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(stored.AsSpan(HeaderLength, NonceLength), stored.AsSpan(HeaderLength + NonceLength + TagLength), stored.AsSpan(HeaderLength + NonceLength, TagLength), plaintext, stored.AsSpan(0, HeaderLength));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new ProtectedDataUnreadableException($"A value sealed with key {keyId} does not match its key: it was altered.", ex);
        }

        return plaintext;
    }
}
