using Portal.Components.Shared;

namespace Portal.Tests.Features.Layout;

public sealed class UserTextCleaningTests
{
    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202B')]
    [InlineData('\u202C')]
    [InlineData('\u202D')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2067')]
    [InlineData('\u2068')]
    [InlineData('\u2069')]
    [InlineData('\u200E')]
    [InlineData('\u200F')]
    [InlineData('\u061C')]
    public void Every_direction_control_is_removed_and_nothing_else(char control)
    {
        Assert.Equal("Bambarignp.exe", UserText.Clean($"Bambari{control}gnp.exe"));
        Assert.Equal("\u2068Bambarignp.exe\u2069", UserText.Isolate($"{control}Bambari{control}gnp.exe"));
    }

    [Fact]
    public void Other_text_is_kept_as_it_is()
    {
        const string arabic = "بانغي — Bangui";
        Assert.Same(arabic, UserText.Clean(arabic));
        Assert.Null(UserText.Clean(null));
        Assert.Null(UserText.Isolate(null));
    }
}
