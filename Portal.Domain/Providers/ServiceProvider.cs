using Portal.Domain.Common;
using Portal.Domain.Referrals;

namespace Portal.Domain.Providers;

/// <summary>
/// An organisation in one country that people are referred to. Deactivated rather than deleted, because past
/// referrals point at it.
/// </summary>
public sealed class ServiceProvider : VersionedEntity
{
    public const int NameMaxLength = 200;
    public const int ContactMaxLength = 2000;

    private readonly List<ReferralType> _servicesOffered = [];
    private readonly List<string> _languages = [];

    private ServiceProvider()
    {
    }

    public Guid Id { get; private set; }

    public string CountryCode { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public IReadOnlyCollection<ReferralType> ServicesOffered => _servicesOffered;

    public IReadOnlyList<string> Languages => _languages;

    public string? Contact { get; private set; }

    public bool IsActive { get; private set; }

    /// <summary>
    /// The provider's own staff answer referrals in the portal (accept, decline, schedule, complete). Otherwise the advocate
    /// records what the provider said by hand; advocates can always do so, for a provider who answered by phone.
    /// </summary>
    public bool AnswersInPortal { get; private set; }

    /// <summary>
    /// Its own staff may use the portal: the provider is active and answers in the portal. Once it is not, its staff's
    /// accounts can neither sign in nor keep a session, so nobody there reads a survivor's referral any more.
    /// </summary>
    public static readonly Rule<ServiceProvider> OpenToItsStaff = new(p => p.IsActive && p.AnswersInPortal);

    public static ServiceProvider Create(
        string countryCode,
        string name,
        IEnumerable<ReferralType> servicesOffered,
        IEnumerable<string> languages,
        string? contact)
    {
        var provider = new ServiceProvider
        {
            Id = Guid.CreateVersion7(),
            CountryCode = Guard.CountryCode(countryCode),
            IsActive = true,
        };
        provider.Update(name, servicesOffered, languages, contact);
        return provider;
    }

    public void Update(string name, IEnumerable<ReferralType> servicesOffered, IEnumerable<string> languages, string? contact)
    {
        var services = servicesOffered.Select(s => Guard.Defined(s, "Service offered")).Distinct().ToList();
        if (services.Count == 0)
        {
            throw new DomainException(ErrorCodes.Required, "A service provider must offer at least one service.");
        }

        Name = Guard.Required(name, "Provider name", NameMaxLength);
        Contact = Guard.Optional(contact, "Provider contact", ContactMaxLength);
        _servicesOffered.Clear();
        _servicesOffered.AddRange(services);
        _languages.Clear();
        _languages.AddRange(Guard.CultureCodes(languages, "Language"));
        Touch();
    }

    public void SetAnswersInPortal(bool answersInPortal)
    {
        AnswersInPortal = answersInPortal;
        Touch();
    }

    public void Activate()
    {
        IsActive = true;
        Touch();
    }

    public void Deactivate()
    {
        IsActive = false;
        Touch();
    }

    public bool Offers(ReferralType type) => _servicesOffered.Contains(type);
}
