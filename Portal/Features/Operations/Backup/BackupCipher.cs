using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portal.Features.Operations.Backup;

/// <summary>
/// Encryption of a backup's files: AES-256-GCM in chunks of 1 MiB, so files of any size stream through. Each chunk is
/// authenticated together with the file's name, its position and whether it is the last one, so a chunk moved, dropped
/// or swapped between files, or a file cut short, fails to decrypt instead of restoring damaged data.
/// The key comes from a passphrase (PBKDF2-SHA256) or is random and wrapped with the key-ring certificate's RSA key.
/// </summary>
public sealed class BackupCipher
{
    public const int ChunkSize = 1 << 20;
    public const int Pbkdf2Iterations = 600_000;
    public const int MinimumPassphraseLength = 12;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Magic = "VRPBAK01"u8.ToArray();
    private static readonly byte[] KeyCheckLabel = "portal-backup-key-check"u8.ToArray();

    private readonly byte[] _key;

    private BackupCipher(byte[] key) => _key = key;

    /// <summary>Proof of the key in the manifest, so a wrong passphrase is told apart from a damaged file.</summary>
    public string KeyCheck => Convert.ToBase64String(HMACSHA256.HashData(_key, KeyCheckLabel));

    public static BackupCipher FromPassphrase(string passphrase, byte[] salt) =>
        new(Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, Pbkdf2Iterations, HashAlgorithmName.SHA256, 32));

    /// <summary>A random key, and that key encrypted to the certificate (its public key is enough).</summary>
    public static (BackupCipher Cipher, byte[] WrappedKey) ForCertificate(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey() ?? throw new InvalidOperationException("The certificate has no RSA key.");
        var key = RandomNumberGenerator.GetBytes(32);
        return (new BackupCipher(key), rsa.Encrypt(key, RSAEncryptionPadding.OaepSHA256));
    }

    /// <summary>The key unwrapped with the certificate's private key.</summary>
    public static BackupCipher FromCertificate(X509Certificate2 certificate, byte[] wrappedKey)
    {
        using var rsa = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The certificate has no private RSA key.");
        return new BackupCipher(rsa.Decrypt(wrappedKey, RSAEncryptionPadding.OaepSHA256));
    }

    public bool Matches(string keyCheck) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(keyCheck), Convert.FromBase64String(KeyCheck));

    public async Task EncryptAsync(Stream input, Stream output, string name, CancellationToken cancellationToken = default)
    {
        await output.WriteAsync(Magic, cancellationToken);
        using var aes = new AesGcm(_key, TagSize);
        var current = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var currentLength = await input.ReadAtLeastAsync(current, ChunkSize, throwOnEndOfStream: false, cancellationToken);
        var cipher = new byte[ChunkSize];
        var nonce = new byte[NonceSize];
        var tag = new byte[TagSize];
        var header = new byte[4];
        for (long index = 0; ; index++)
        {
            // Read one chunk ahead: the last chunk is marked as such in its authenticated data.
            var nextLength = currentLength == ChunkSize ? await input.ReadAtLeastAsync(next, ChunkSize, throwOnEndOfStream: false, cancellationToken) : 0;
            var final = nextLength == 0;
            RandomNumberGenerator.Fill(nonce);
            aes.Encrypt(nonce, current.AsSpan(0, currentLength), cipher.AsSpan(0, currentLength), tag, AssociatedData(name, index, final));
            BinaryPrimitives.WriteInt32BigEndian(header, currentLength);
            await output.WriteAsync(nonce, cancellationToken);
            await output.WriteAsync(header, cancellationToken);
            await output.WriteAsync(cipher.AsMemory(0, currentLength), cancellationToken);
            await output.WriteAsync(tag, cancellationToken);
            if (final)
            {
                return;
            }

            (current, next) = (next, current);
            currentLength = nextLength;
        }
    }

    public async Task DecryptAsync(Stream input, Stream output, string name, CancellationToken cancellationToken = default)
    {
        var magic = new byte[Magic.Length];
        await input.ReadExactlyAsync(magic, cancellationToken);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new CryptographicException($"{name} is not an encrypted backup file.");
        }

        using var aes = new AesGcm(_key, TagSize);
        var nonce = new byte[NonceSize];
        var header = new byte[4];
        var tag = new byte[TagSize];
        var cipher = new byte[ChunkSize];
        var plain = new byte[ChunkSize];
        for (long index = 0; ; index++)
        {
            await input.ReadExactlyAsync(nonce, cancellationToken);
            await input.ReadExactlyAsync(header, cancellationToken);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            if (length is < 0 or > ChunkSize)
            {
                throw new CryptographicException($"{name} is damaged.");
            }

            await input.ReadExactlyAsync(cipher.AsMemory(0, length), cancellationToken);
            await input.ReadExactlyAsync(tag, cancellationToken);

            // The writer marks the chunk that ends the file; a chunk that decrypts only as "not last" while the file
            // ends here means the file was cut short, and that fails too.
            var atEnd = input.Position == input.Length;
            aes.Decrypt(nonce, cipher.AsSpan(0, length), tag, plain.AsSpan(0, length), AssociatedData(name, index, atEnd));
            await output.WriteAsync(plain.AsMemory(0, length), cancellationToken);
            if (atEnd)
            {
                return;
            }
        }
    }

    private static byte[] AssociatedData(string name, long index, bool final)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var data = new byte[nameBytes.Length + 9];
        nameBytes.CopyTo(data, 0);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(nameBytes.Length), index);
        data[^1] = final ? (byte)1 : (byte)0;
        return data;
    }
}
