using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Security;
using Portal.Tests.Integration;

namespace Portal.Tests.Features.Account;

public sealed class PasswordPolicyTests : IClassFixture<SecurityAppFactory>
{
    private readonly SecurityAppFactory _factory;

    public PasswordPolicyTests(SecurityAppFactory factory) => _factory = factory;

    [Theory]
    [InlineData("elevenchars", false)] // 11 characters
    [InlineData("twelve chars", true)] // 12, no digits, capitals or symbols: composition rules do not apply
    [InlineData("password1234", false)] // common
    [InlineData("PASSWORD1234", false)] // common whatever the case
    [InlineData("qwertyuiopasdfgh", false)] // common keyboard walk
    [InlineData("violet tram across the river at dawn", true)]
    public async Task Passwords_need_twelve_characters_and_must_not_be_common(string password, bool accepted)
    {
        Assert.Equal(accepted, await ValidAsync(password));
    }

    [Fact]
    public async Task Passwords_may_have_up_to_128_characters()
    {
        Assert.True(await ValidAsync(new string('x', 60) + new string('y', 68)));
        Assert.False(await ValidAsync(new string('x', 60) + new string('y', 69)));
    }

    [Fact]
    public void The_shipped_list_holds_tens_of_thousands_of_common_passwords()
    {
        Assert.True(PasswordPolicy.IsCommon("iloveyou1234"));
        Assert.True(PasswordPolicy.IsCommon("1234567890123"));
        Assert.False(PasswordPolicy.IsCommon("violet tram across the river at dawn"));
    }

    private async Task<bool> ValidAsync(string password)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser { UserName = "someone@example.org" };
        foreach (var validator in users.PasswordValidators)
        {
            if (!(await validator.ValidateAsync(users, user, password)).Succeeded)
            {
                return false;
            }
        }

        return true;
    }
}
