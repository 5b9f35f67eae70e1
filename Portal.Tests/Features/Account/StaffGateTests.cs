using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Features.Account;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Features.Account;

/// <summary>The circuit's half of "everything needs sign-in": what a page shows when the session has ended.</summary>
public sealed class StaffGateTests : MudBunitContext
{
    [Fact]
    public void A_staff_page_sends_an_anonymous_circuit_to_sign_in_without_rendering_the_page()
    {
        AddAuthorization();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/cases/CD-2026-0001?tab=notes");

        var cut = Render<StaffGate>(p => p
            .Add(g => g.RouteData, new RouteData(typeof(Portal.Features.Home.Home), new Dictionary<string, object?>()))
            .AddChildContent("<p id=\"content\">case data</p>"));

        Assert.Empty(cut.FindAll("#content"));
        Assert.Equal("http://localhost/account/login?ended=true&returnUrl=%2Fcases%2FCD-2026-0001%3Ftab%3Dnotes", navigation.Uri);
    }

    [Fact]
    public void A_page_marked_allow_anonymous_renders_for_anyone()
    {
        AddAuthorization();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/account/login");

        var cut = Render<StaffGate>(p => p
            .Add(g => g.RouteData, new RouteData(typeof(Login), new Dictionary<string, object?>()))
            .AddChildContent("<p id=\"content\">sign in</p>"));

        Assert.Single(cut.FindAll("#content"));
    }

    [Fact]
    public void A_signed_in_staff_member_sees_the_page()
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("coordinator@example.org");
        authorization.SetRoles(Roles.Coordinator);
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"), new Claim(PortalClaimTypes.SessionId, "session-1"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/cases/CD-2026-0001");

        var cut = Render<StaffGate>(p => p
            .Add(g => g.RouteData, new RouteData(typeof(Portal.Features.Home.Home), new Dictionary<string, object?>()))
            .AddChildContent("<p id=\"content\">case data</p>"));

        Assert.Single(cut.FindAll("#content"));
    }
}
