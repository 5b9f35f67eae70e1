using System.Collections.Frozen;
using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Portal.Features.Account;

namespace Portal.Infrastructure.Security;

/// <summary>
/// Length and a list of the most common passwords are the only rules (NIST SP 800-63B, OWASP ASVS 2.1):
/// no composition rules, which push people towards predictable patterns. Identity enforces the minimum.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    private static readonly Lazy<FrozenSet<string>> Common = new(LoadCommonPasswords);

    public static bool IsCommon(string password) => Common.Value.Contains(password.ToLowerInvariant());

    public static void Configure(PasswordOptions options)
    {
        options.RequiredLength = MinimumLength;
        options.RequireDigit = false;
        options.RequireLowercase = false;
        options.RequireUppercase = false;
        options.RequireNonAlphanumeric = false;
        options.RequiredUniqueChars = 1;
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Portal.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line);
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}

/// <summary>Refuses passwords longer than the maximum and passwords on the common-password list.</summary>
public sealed class PortalPasswordValidator(IStringLocalizer<AccountText> text) : IPasswordValidator<StaffUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
    {
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length > PasswordPolicy.MaximumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooLong", Description = text["Password_TooLong", PasswordPolicy.MaximumLength] });
        }
        else if (password.Length >= PasswordPolicy.MinimumLength && PasswordPolicy.IsCommon(password))
        {
            errors.Add(new IdentityError { Code = "PasswordTooCommon", Description = text["Password_TooCommon"] });
        }

        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }
}

/// <summary>Identity's error messages in the staff's language (only those a staff member can meet).</summary>
public sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<AccountText> text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = text["Password_TooShort", length] };

    public override IdentityError PasswordMismatch() => new() { Code = nameof(PasswordMismatch), Description = text["Password_Mismatch"] };

    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = text["User_DuplicateName"] };

    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = text["User_DuplicateName"] };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = text["User_InvalidName"] };
}
