using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Domain.Audit;
using Portal.Domain.Referrals;
using Portal.Features.Account;
using Portal.Features.Admin;
using Portal.Features.Providers;
using Portal.Features.Reminders;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Email;
using Portal.Infrastructure.Security;
using Portal.Tests.Integration;
using Portal.Tests.TestSupport;
using Provider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Tests.Features.Admin;

/// <summary>
/// Accounts for service providers' staff: invited by e-mail through the real pickup folder, opened only with the link the
/// e-mail carries, and never mixed with the office's own roles.
/// </summary>
public sealed partial class ProviderInvitationTests : IClassFixture<SecurityAppFactory>
{
    private readonly SecurityAppFactory _factory;

    public ProviderInvitationTests(SecurityAppFactory factory) => _factory = factory;

    private IServiceProvider Services => _factory.Services;

    [Theory]
    [InlineData("fr", "Votre invitation au portail des droits des victimes", "Le bureau des droits des victimes vous invite", "expire le")]
    [InlineData("en", "Your invitation to the Victims' Rights Portal", "The Victims' Rights office invites you", "expires on")]
    public async Task An_invitation_makes_a_provider_account_without_a_password_and_emails_a_working_link_in_their_language(string language, string subject, string intro, string expiry)
    {
        var provider = await ProviderAsync("CF", $"Clinique juridique {Guid.NewGuid():N}"[..30]);
        var email = NewEmail();

        var result = await Admin().InviteProviderUserAsync(new ProviderInvitation($" {email} ", "Odette Test", language, provider.Id));

        Assert.True(result.Succeeded, string.Join(";", result.Errors));
        Assert.Null(result.InitialPassword);
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByNameAsync(email))!;
        Assert.Equal([Roles.Provider], await users.GetRolesAsync(user));
        Assert.Equal(((Guid?)provider.Id, "Africa/Bangui", language), (user.ProviderId, user.TimeZoneId, user.PreferredLanguage));
        Assert.Empty(user.Countries);
        Assert.False(await users.HasPasswordAsync(user));
        Assert.False(await users.CheckPasswordAsync(user, StaffAccounts.DefaultPassword));

        var message = Assert.Single(MailTo(email));
        Assert.Equal(subject, message.Subject);
        Assert.Contains(intro, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(provider.Name, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(expiry, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("(Africa/Bangui)", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(language, message.Headers["Content-Language"] ?? message.Body?.Headers["Content-Language"]);
        var link = LinkIn(message);
        var baseUrl = Services.GetRequiredService<IOptions<ReminderOptions>>().Value.PublicBaseUrl;
        Assert.StartsWith(baseUrl.TrimEnd('/') + AccountPaths.Enrol + "#", link, StringComparison.Ordinal);
        Assert.Equal(user.Id, (await scope.ServiceProvider.GetRequiredService<EnrolmentLinkService>().FindAsync(TokenOf(link)))?.Id);

        var listed = Assert.Single(await Admin().ListAsync(), u => u.UserName == email);
        Assert.Equal(((Guid?)provider.Id, provider.Name, true), (listed.ProviderId, listed.ProviderName, listed.AwaitingEnrolment));
        await using var db = NewContext();
        var created = await db.AuditEntries.SingleAsync(e => e.RecordId == user.Id && e.Action == AuditAction.Created);
        Assert.Contains("roles: Provider", created.Detail, StringComparison.Ordinal);
        Assert.Contains($"provider: {provider.Id}", created.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_role_is_never_combined_with_another_and_comes_only_by_invitation()
    {
        var provider = await ProviderAsync("CD", "Clinique Bunia mixing");
        var advocate = await StaffAccounts.CreateAsync(Services, Roles.Advocate, ["CD"]);
        var admin = Admin();

        var mixedOnChange = await admin.SetAccessAsync(advocate.Id, [Roles.Provider, Roles.Advocate], ["CD"], provider.Id);
        var mixedOnCreate = await admin.CreateAsync(new NewStaffUser(NewEmail(), "Mixed", "en", [Roles.Advocate, Roles.Provider], ["CD"]));
        var withPassword = await admin.CreateAsync(new NewStaffUser(NewEmail(), "Password", "en", [Roles.Provider], []));

        var exclusive = Assert.Single(mixedOnChange.Errors);
        Assert.Contains("cannot be combined with Advocate, Coordinator or Administrator", exclusive, StringComparison.Ordinal);
        Assert.Equal([exclusive], mixedOnCreate.Errors);
        Assert.Contains("invited by e-mail", Assert.Single(withPassword.Errors), StringComparison.Ordinal);
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var unchanged = (await users.FindByIdAsync(advocate.Id))!;
        Assert.Equal([Roles.Advocate], await users.GetRolesAsync(unchanged));
        Assert.Null(unchanged.ProviderId);
    }

    [Fact]
    public async Task A_provider_user_moves_to_another_provider_or_back_to_office_staff_only_through_set_access()
    {
        var first = await ProviderAsync("HT", "Clinique PaP first");
        var second = await ProviderAsync("HT", "Clinique PaP second");
        var notAnswering = await ProviderAsync("HT", "Clinique PaP by phone", answersInPortal: false);
        var email = NewEmail();
        var admin = Admin();
        Assert.True((await admin.InviteProviderUserAsync(new ProviderInvitation(email, "Mover", "fr", first.Id))).Succeeded);
        var id = (await admin.ListAsync()).Single(u => u.UserName == email).Id;

        var toPhoneOnly = await admin.SetAccessAsync(id, [Roles.Provider], [], notAnswering.Id);
        var withoutProvider = await admin.SetAccessAsync(id, [Roles.Provider], []);
        var moved = await admin.SetAccessAsync(id, [Roles.Provider], ["HT"], second.Id);
        var afterMove = (await admin.ListAsync()).Single(u => u.Id == id);
        var toOffice = await admin.SetAccessAsync(id, [Roles.Coordinator], [], second.Id);
        var afterOffice = (await admin.ListAsync()).Single(u => u.Id == id);

        Assert.False(toPhoneOnly.Succeeded);
        Assert.False(withoutProvider.Succeeded);
        Assert.True(moved.Succeeded, string.Join(";", moved.Errors));
        Assert.Equal(second.Id, afterMove.ProviderId);
        Assert.Equal([Roles.Provider], afterMove.Roles);
        Assert.Empty(afterMove.Countries);
        Assert.True(toOffice.Succeeded);
        Assert.Null(afterOffice.ProviderId);
        Assert.Equal([Roles.Coordinator], afterOffice.Roles);
    }

    [Fact]
    public async Task Only_an_active_provider_that_answers_in_the_portal_can_have_staff_accounts()
    {
        var byPhone = await ProviderAsync("SS", "Juba clinic by phone", answersInPortal: false);
        var closed = await ProviderAsync("SS", "Juba clinic closed", active: false);
        var open = await ProviderAsync("SS", "Juba clinic open");
        var admin = Admin();
        var emails = new[] { NewEmail(), NewEmail(), NewEmail() };

        var refused = new[]
        {
            await admin.InviteProviderUserAsync(new ProviderInvitation(emails[0], "Phone", "en", byPhone.Id)),
            await admin.InviteProviderUserAsync(new ProviderInvitation(emails[1], "Closed", "en", closed.Id)),
            await admin.InviteProviderUserAsync(new ProviderInvitation(emails[2], "Nobody", "en", Guid.Empty)),
        };
        var invitable = await admin.ListInvitableProvidersAsync();

        Assert.All(refused, r => Assert.Equal(["Choose an active provider whose staff answer referrals in the portal."], r.Errors));
        Assert.Contains(invitable, p => p.Id == open.Id);
        Assert.DoesNotContain(invitable, p => p.Id == byPhone.Id || p.Id == closed.Id);
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        foreach (var email in emails)
        {
            Assert.Null(await users.FindByNameAsync(email));
            Assert.Empty(MailTo(email));
        }
    }

    [Fact]
    public async Task A_provider_deactivated_or_switched_to_answering_by_hand_shuts_its_staff_out_and_nobody_else()
    {
        var closing = await ProviderAsync("CF", "Clinique Bangui closing");
        var goingByHand = await ProviderAsync("CF", "Clinique Bangui by hand");
        var staying = await ProviderAsync("CF", "Clinique Bangui staying");
        var (closingUser, closingScope) = await ProviderStaffAsync(closing);
        var (byHandUser, byHandScope) = await ProviderStaffAsync(goingByHand);
        var (stayingUser, stayingScope) = await ProviderStaffAsync(staying);
        var providers = ServicesAs.Create<ProviderService>(Services, new TestCurrentUser(await StaffAccounts.SignedInScopeAsync(Services, Roles.Administrator)));
        var sessions = Services.GetRequiredService<SessionStore>();

        Assert.True((await providers.SetActiveAsync(closing.Id, active: false)).Succeeded);
        var byHand = (await providers.ListAsync("CF")).Single(p => p.Id == goingByHand.Id);
        Assert.True((await providers.UpdateAsync(byHand.Seen, new ProviderInput("CF", byHand.Name, [ReferralType.Legal], ["fr"], null, AnswersInPortal: false))).Succeeded);

        Assert.False(await sessions.IsOpenAsync(closingScope, userAction: false));
        Assert.False(await sessions.IsOpenAsync(byHandScope, userAction: false));
        Assert.True(await sessions.IsOpenAsync(stayingScope, userAction: true));
        Assert.False(await SignsInAsync(closingUser));
        Assert.False(await SignsInAsync(byHandUser));
        Assert.True(await SignsInAsync(stayingUser));

        Assert.True((await providers.SetActiveAsync(closing.Id, active: true)).Succeeded);
        Assert.True(await SignsInAsync(closingUser));
    }

    [Theory]
    [InlineData(Roles.Advocate)]
    [InlineData(Roles.Coordinator)]
    [InlineData(Roles.Provider)]
    public async Task Nobody_but_an_administrator_invites_whatever_the_page_shows(string role)
    {
        var provider = await ProviderAsync("CF", "Clinique refused callers");
        var email = NewEmail();
        Assert.True((await Admin().InviteProviderUserAsync(new ProviderInvitation(email, "Invitee", "fr", provider.Id))).Succeeded);
        var invitee = (await Admin().ListAsync()).Single(u => u.UserName == email);
        var caller = new UserScope(Guid.NewGuid().ToString(), "x@example.org", "X", [role], [], providerId: role == Roles.Provider ? provider.Id : null);
        var service = ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(caller));
        var other = NewEmail();

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.InviteProviderUserAsync(new ProviderInvitation(other, "Other", "fr", provider.Id)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ResendInvitationAsync(invitee.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListInvitableProvidersAsync());

        await using var scope = Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(other));
        Assert.Single(MailTo(email));
    }

    [Fact]
    public async Task Sending_the_invitation_again_replaces_the_earlier_link_until_the_person_has_set_up_the_account()
    {
        var provider = await ProviderAsync("CD", "Clinique Goma resend");
        var email = NewEmail();
        var admin = Admin();
        Assert.True((await admin.InviteProviderUserAsync(new ProviderInvitation(email, "Twice", "en", provider.Id))).Succeeded);
        var id = (await admin.ListAsync()).Single(u => u.UserName == email).Id;
        var firstToken = TokenOf(LinkIn(Assert.Single(MailTo(email))));

        var resent = await admin.ResendInvitationAsync(id);

        Assert.True(resent.Succeeded, string.Join(";", resent.Errors));
        var mails = MailTo(email);
        Assert.Equal(2, mails.Count);
        var secondToken = mails.Select(m => TokenOf(LinkIn(m))).Single(t => t != firstToken);
        await using (var scope = Services.CreateAsyncScope())
        {
            var links = scope.ServiceProvider.GetRequiredService<EnrolmentLinkService>();
            Assert.Null(await links.FindAsync(firstToken));
            Assert.Equal(id, (await links.FindAsync(secondToken))?.Id);

            // Set up (a password chosen through the link): nothing to send again.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            Assert.True((await users.AddPasswordAsync((await users.FindByIdAsync(id))!, StaffAccounts.DefaultPassword)).Succeeded);
        }

        Assert.Contains("not yet set up", Assert.Single((await admin.ResendInvitationAsync(id)).Errors), StringComparison.Ordinal);
        Assert.Contains("not yet set up", Assert.Single((await admin.ResendInvitationAsync((await StaffAccounts.CreateAsync(Services, Roles.Coordinator, enrolled: false)).Id)).Errors), StringComparison.Ordinal);
        Assert.Equal(2, MailTo(email).Count);
    }

    [Fact]
    public async Task A_disabled_provider_user_is_sent_nothing_again()
    {
        var provider = await ProviderAsync("CF", "Clinique Bria disabled");
        var email = NewEmail();
        var admin = Admin();
        Assert.True((await admin.InviteProviderUserAsync(new ProviderInvitation(email, "Disabled", "fr", provider.Id))).Succeeded);
        var id = (await admin.ListAsync()).Single(u => u.UserName == email).Id;
        var token = TokenOf(LinkIn(Assert.Single(MailTo(email))));

        Assert.True((await admin.SetDisabledAsync(id, true)).Succeeded);

        Assert.False((await admin.ResendInvitationAsync(id)).Succeeded);
        Assert.Single(MailTo(email));
        await using var scope = Services.CreateAsyncScope();
        var enrol = await scope.ServiceProvider.GetRequiredService<EnrolmentService>().SetPasswordAsync(token, StaffAccounts.DefaultPassword, StaffAccounts.DefaultPassword);
        Assert.False(enrol.Succeeded);
    }

    [Fact]
    public async Task When_the_mail_server_cannot_be_reached_the_account_stands_and_the_administrator_is_told()
    {
        using var unreachable = new UnreachableSmtpFactory();
        var provider = Provider.Create("CF", "Clinique Bangui no mail", [ReferralType.Legal], ["fr"], null);
        provider.SetAnswersInPortal(true);
        await using (var db = unreachable.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            db.ServiceProviders.Add(provider);
            await db.SaveChangesAsync();
        }

        var admin = ServicesAs.Create<UserAdministrationService>(unreachable.Services, new TestCurrentUser(TestCurrentUser.Administrator()));
        var email = NewEmail();

        var result = await admin.InviteProviderUserAsync(new ProviderInvitation(email, "No Mail", "en", provider.Id));

        Assert.Contains("could not be sent", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.True((await admin.ListAsync()).Single(u => u.UserName == email).AwaitingEnrolment);
    }

    [Fact]
    public async Task The_demo_provider_account_is_tied_to_its_provider_when_the_provider_was_seeded_first()
    {
        var account = DemoAccounts.All.First(a => a.Role == Roles.Provider);
        var provider = await ProviderAsync("CF", account.Provider!);

        await new DemoAccounts(Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<DemoAccounts>.Instance).SeedAsync();

        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByNameAsync(account.UserName))!;
        Assert.Equal(provider.Id, user.ProviderId);
        Assert.Equal([Roles.Provider], await users.GetRolesAsync(user));
        Assert.True(await users.CheckPasswordAsync(user, DemoAccounts.Password));
    }

    /// <summary>An enrolled staff account of the provider, with a session open as sign-in opens one.</summary>
    private async Task<(TestStaffUser User, UserScope Scope)> ProviderStaffAsync(Provider provider)
    {
        var user = await StaffAccounts.CreateAsync(Services, Roles.Provider);
        await using (var db = NewContext())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.ProviderId, provider.Id));
        }

        var session = await Services.GetRequiredService<SessionStore>().StartAsync(user.Id);
        Assert.True(await SignsInAsync(user));
        return (user, new UserScope(user.Id, user.UserName, "Provider staff", [Roles.Provider], [], session, providerId: provider.Id));
    }

    /// <summary>Whether the password step of the real sign-in page lets the account through (to its code step).</summary>
    private async Task<bool> SignsInAsync(TestStaffUser user)
    {
        using var client = _factory.CreateBrowserClient();
        using var response = await client.SubmitPasswordAsync(user.UserName, user.Password);
        return response.StatusCode == HttpStatusCode.Redirect && response.LocalLocation().StartsWith(AccountPaths.LoginTwoFactor, StringComparison.Ordinal);
    }

    private UserAdministrationService Admin() =>
        ServicesAs.Create<UserAdministrationService>(Services, new TestCurrentUser(TestCurrentUser.Administrator()));

    private static string NewEmail() => $"provider.{Guid.NewGuid():N}@example.org";

    private async Task<Provider> ProviderAsync(string country, string name, bool answersInPortal = true, bool active = true)
    {
        var provider = Provider.Create(country, name, [ReferralType.Legal], ["fr"], null);
        provider.SetAnswersInPortal(answersInPortal);
        if (!active)
        {
            provider.Deactivate();
        }

        await using var db = NewContext();
        db.ServiceProviders.Add(provider);
        await db.SaveChangesAsync();
        return provider;
    }

    private List<MimeMessage> MailTo(string address)
    {
        var pickup = Assert.IsType<PickupFolderTransport>(Services.GetRequiredService<IEmailTransport>());
        return Directory.Exists(pickup.Directory)
            ? [.. Directory.GetFiles(pickup.Directory, "*.eml").Select(f => MimeMessage.Load(f)).Where(m => m.To.Mailboxes.Any(b => b.Address == address))]
            : [];
    }

    private static string LinkIn(MimeMessage message) => EnrolLink().Match(message.TextBody ?? "") is { Success: true } match ? match.Value : throw new InvalidOperationException("No enrolment link in:\n" + message.TextBody);

    private static string TokenOf(string link) => link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..];

    private PortalDbContext NewContext() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    [GeneratedRegex(@"https?://\S+/account/enrol#\S+")]
    private static partial Regex EnrolLink();

    private sealed class UnreachableSmtpFactory : SecurityAppFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Portal:Email:Smtp:Host"] = "127.0.0.1",
            ["Portal:Email:Smtp:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Email:Smtp:Security"] = "None",
        };
    }
}
