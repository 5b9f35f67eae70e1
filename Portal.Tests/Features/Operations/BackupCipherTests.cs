using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Features.Operations.Backup;

namespace Portal.Tests.Features.Operations;

/// <summary>A backup file decrypts to exactly what was encrypted, and any change, cut or swap of a chunk fails to decrypt.</summary>
public sealed class BackupCipherTests
{
    private static readonly byte[] Salt = RandomNumberGenerator.GetBytes(16);
    private static readonly BackupCipher Cipher = BackupCipher.FromPassphrase("a passphrase of the test", Salt);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(BackupCipher.ChunkSize)]
    [InlineData((2 * BackupCipher.ChunkSize) + 17)]
    public async Task Files_of_any_size_come_back_as_they_were(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        var encrypted = await EncryptAsync(plain, "portal.db");

        Assert.Equal(plain, await DecryptAsync(encrypted, "portal.db", Cipher));
        Assert.True(length < 64 || encrypted.AsSpan().IndexOf(plain.AsSpan(0, 64)) < 0, "the clear bytes are in the file");
    }

    [Fact]
    public async Task A_changed_byte_a_cut_file_another_files_name_or_a_wrong_passphrase_fail()
    {
        var plain = RandomNumberGenerator.GetBytes((2 * BackupCipher.ChunkSize) + 100);
        var encrypted = await EncryptAsync(plain, "portal.db");

        var changed = (byte[])encrypted.Clone();
        changed[BackupCipher.ChunkSize + 500] ^= 1;
        await Assert.ThrowsAnyAsync<CryptographicException>(() => DecryptAsync(changed, "portal.db", Cipher));

        // Cut after the first two whole chunks: what is left ends on a chunk that does not say it is the last.
        var chunk = 12 + 4 + BackupCipher.ChunkSize + 16;
        var cut = encrypted[..(8 + (2 * chunk))];
        await Assert.ThrowsAnyAsync<CryptographicException>(() => DecryptAsync(cut, "portal.db", Cipher));

        await Assert.ThrowsAnyAsync<CryptographicException>(() => DecryptAsync(encrypted, "jobs.db", Cipher));

        var wrong = BackupCipher.FromPassphrase("another passphrase entirely", Salt);
        Assert.False(wrong.Matches(Cipher.KeyCheck));
        Assert.True(BackupCipher.FromPassphrase("a passphrase of the test", Salt).Matches(Cipher.KeyCheck));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => DecryptAsync(encrypted, "portal.db", wrong));
    }

    [Fact]
    public async Task The_certificates_public_key_encrypts_and_only_its_private_key_decrypts()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=portal key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));

        var (cipher, wrapped) = BackupCipher.ForCertificate(publicOnly);
        var plain = RandomNumberGenerator.GetBytes(1000);
        using var encrypted = new MemoryStream();
        await cipher.EncryptAsync(new MemoryStream(plain), encrypted, "keys/key-1.xml");

        var unwrapped = BackupCipher.FromCertificate(certificate, wrapped);
        Assert.True(unwrapped.Matches(cipher.KeyCheck));
        Assert.Equal(plain, await DecryptAsync(encrypted.ToArray(), "keys/key-1.xml", unwrapped));
        Assert.Throws<InvalidOperationException>(() => BackupCipher.FromCertificate(publicOnly, wrapped));
    }

    private static async Task<byte[]> EncryptAsync(byte[] plain, string name)
    {
        using var output = new MemoryStream();
        await Cipher.EncryptAsync(new MemoryStream(plain), output, name);
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] encrypted, string name, BackupCipher cipher)
    {
        using var output = new MemoryStream();
        await cipher.DecryptAsync(new MemoryStream(encrypted), output, name);
        return output.ToArray();
    }
}
