using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Portal.Infrastructure.Security;

namespace Portal.Features.Account;

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
