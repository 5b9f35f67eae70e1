using Microsoft.AspNetCore.Http;
using Portal.Features.Cases;
using Portal.Infrastructure.Security;

namespace Portal.Tests.Features.Cases;

/// <summary>
/// A case page's viewer counts only while its browser is there: a tab closed without a goodbye or a dropped link leaves the
/// circuit waiting for minutes, and nobody should read "Sam is looking at this case" for all that time.
/// </summary>
public sealed class CasePresenceTests
{
    [Fact]
    public async Task A_viewer_whose_browser_went_away_is_not_shown_and_is_again_when_it_comes_back()
    {
        var presence = new CasePresence(TimeProvider.System);
        var caseId = Guid.NewGuid();
        var samsBrowser = new CircuitConnection();
        var circuit = new CircuitConnectionHandler(samsBrowser, new HttpContextAccessor());
        var told = new List<Guid>();
        using var watch = presence.Watch(told.Add);
        using var amina = presence.Join(caseId, "amina", "Amina Ndakala");
        using var sam = presence.Join(caseId, "sam", "Sam Okafor", samsBrowser);
        told.Clear();

        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);

        Assert.Equal(["Amina Ndakala"], presence.ViewersOf(caseId).Select(v => v.DisplayName));
        Assert.Equal([caseId], told);

        await circuit.OnConnectionUpAsync(null!, CancellationToken.None);

        Assert.Equal(["Amina Ndakala", "Sam Okafor"], presence.ViewersOf(caseId).Select(v => v.DisplayName));
        Assert.Equal([caseId, caseId], told);
    }

    [Fact]
    public async Task A_viewer_who_left_is_not_told_about_any_more_when_the_browser_goes()
    {
        var presence = new CasePresence(TimeProvider.System);
        var caseId = Guid.NewGuid();
        var browser = new CircuitConnection();
        var told = new List<Guid>();
        using var watch = presence.Watch(told.Add);
        presence.Join(caseId, "sam", "Sam Okafor", browser).Dispose();
        told.Clear();

        await new CircuitConnectionHandler(browser, new HttpContextAccessor()).OnConnectionDownAsync(null!, CancellationToken.None);

        Assert.Empty(presence.ViewersOf(caseId));
        Assert.Empty(told);
    }
}
