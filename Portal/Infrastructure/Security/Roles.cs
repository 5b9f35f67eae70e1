namespace Portal.Infrastructure.Security;

public static class Roles
{
    public const string Advocate = "Advocate";
    public const string Coordinator = "Coordinator";
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [Advocate, Coordinator, Administrator];
}
