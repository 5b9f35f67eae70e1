namespace Portal.Infrastructure.Security;

public static class Roles
{
    public const string Advocate = "Advocate";
    public const string Coordinator = "Coordinator";
    public const string Administrator = "Administrator";

    /// <summary>Staff of an outside service provider: they read and answer the referrals addressed to their organisation, nothing else.</summary>
    public const string Provider = "Provider";

    public static readonly IReadOnlyList<string> All = [Advocate, Coordinator, Administrator, Provider];
}
