using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain.Audit;

public sealed record AuditChainVerification(bool IsIntact, long? FirstBrokenEntryId, string? Problem)
{
    public static AuditChainVerification Intact { get; } = new(true, null, null);

    internal static AuditChainVerification BrokenAt(long id, string problem) => new(false, id, problem);
}

/// <summary>SHA-256 hash chain over the audit log: each entry's hash covers its fields and the previous hash.</summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    public static string ComputeHash(string previousHash, AuditEntry entry)
    {
        var canonical = new StringBuilder();
        Append(canonical, entry.Id.ToString(CultureInfo.InvariantCulture));
        Append(canonical, entry.AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture));
        Append(canonical, entry.UserId);
        Append(canonical, entry.UserName);
        Append(canonical, entry.Role);
        Append(canonical, entry.IpAddress);
        Append(canonical, entry.Action.ToString());
        Append(canonical, entry.RecordType);
        Append(canonical, entry.RecordId);
        Append(canonical, entry.Detail);
        Append(canonical, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>
    /// Checks entries in chain order. Without <paramref name="precedingEntry"/> the entries must start the chain
    /// (id 1, genesis hash); with it, a later page can be checked on its own against the entry just before it.
    /// </summary>
    public static AuditChainVerification Verify(IEnumerable<AuditEntry> ordered, AuditEntry? precedingEntry = null)
    {
        var expectedId = (precedingEntry?.Id ?? 0) + 1;
        var expectedPrevious = precedingEntry?.Hash ?? GenesisHash;
        foreach (var entry in ordered)
        {
            if (entry.Id != expectedId)
            {
                return AuditChainVerification.BrokenAt(entry.Id, $"Expected entry {expectedId} here; entries are missing or out of order.");
            }

            if (entry.PreviousHash != expectedPrevious)
            {
                return AuditChainVerification.BrokenAt(entry.Id, "The previous-hash link does not match the entry before it.");
            }

            if (ComputeHash(entry.PreviousHash, entry) != entry.Hash)
            {
                return AuditChainVerification.BrokenAt(entry.Id, "The entry's content does not match its hash; it was altered.");
            }

            expectedId++;
            expectedPrevious = entry.Hash;
        }

        return AuditChainVerification.Intact;
    }

    /// <summary>Length-prefixed, with a distinct marker for null, so no two different entries share a canonical form.</summary>
    private static void Append(StringBuilder canonical, string? value)
    {
        if (value is null)
        {
            canonical.Append("~;");
            return;
        }

        canonical.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
    }
}
