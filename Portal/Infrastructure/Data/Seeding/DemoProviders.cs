using Portal.Domain.Countries;
using Portal.Domain.Referrals;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Infrastructure.Data.Seeding;

/// <summary>
/// Service providers for the demo: in every country at least one active provider for every referral type, and in
/// the field countries the fuller picture (hospital, vocational school, a shelter that has closed). Names are
/// invented and marked "(demo)"; contacts use the non-existent +000 country code.
/// </summary>
internal static class DemoProviders
{
    /// <summary>A demo provider whose staff answer referrals in the portal; a demo provider account works for it.</summary>
    public const string LegalAidBangui = "Legal Aid Clinic Bangui (demo)";

    /// <summary>The other one, so the demo shows two providers' staff each seeing only their own referrals.</summary>
    public const string HealthCentreBangui = "Bangui Health Centre (demo)";

    public static readonly IReadOnlyList<string> AnswerInPortal = [LegalAidBangui, HealthCentreBangui];

    /// <summary>Real districts (district level does not identify anyone); the first is where providers sit.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Districts = new Dictionary<string, string[]>
    {
        [Countries.CentralAfricanRepublic] = ["Bangui", "Bambari", "Bria", "Kaga-Bandoro", "Berbérati", "Bouar"],
        [Countries.DemocraticRepublicOfTheCongo] = ["Bunia", "Goma", "Beni", "Bukavu", "Kalemie", "Kinshasa"],
        [Countries.SouthSudan] = ["Juba", "Malakal", "Bentiu", "Wau", "Bor"],
        [Countries.Haiti] = ["Port-au-Prince", "Cap-Haïtien", "Les Cayes", "Gonaïves", "Hinche"],
        [Countries.Lebanon] = ["Tyre", "Naqoura", "Marjayoun", "Bint Jbeil"],
        [Countries.Mali] = ["Gao", "Timbuktu", "Mopti", "Kidal"],
        [Countries.Somalia] = ["Mogadishu", "Baidoa", "Kismayo", "Beledweyne"],
    };

    public static string[] DistrictsOf(string countryCode) =>
        Districts.TryGetValue(countryCode, out var districts) ? districts : ["Capital district"];

    public static List<ServiceProvider> For(IEnumerable<Country> countries)
    {
        var providers = new List<ServiceProvider>();
        var contact = 100;
        foreach (var country in countries.OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            var city = DistrictsOf(country.Code)[0];
            var languages = country.Languages;

            void Add(string name, params ReferralType[] services)
            {
                contact++;
                providers.Add(ServiceProvider.Create(country.Code, $"{name} (demo)", services, languages, $"+000 555 0{contact:D3} · provider{contact}@example.org"));
            }

            Add($"{city} Health Centre", ReferralType.Medical, ReferralType.Psychosocial);
            Add($"Legal Aid Clinic {city}", ReferralType.Legal, ReferralType.PaternityAndChildSupport);
            Add($"Listening Centre {city} — psychosocial support", ReferralType.Psychosocial);
            Add("Mushroom Farming Cooperative", ReferralType.SkillsTrainingOrLivelihood);
            Add("Small-Business Training Programme", ReferralType.SkillsTrainingOrLivelihood, ReferralType.MaterialAssistance);
            Add($"{city} Community School", ReferralType.Education);
            Add($"Safe House {city}", ReferralType.SafetyAndProtection, ReferralType.MaterialAssistance);

            if (country.IsFieldCountry)
            {
                Add($"{city} General Hospital", ReferralType.Medical);
                Add("Basket Weaving Collective", ReferralType.SkillsTrainingOrLivelihood);
                Add($"Vocational School {city}", ReferralType.Education, ReferralType.SkillsTrainingOrLivelihood);
                Add($"Family Law Advice Centre {DistrictsOf(country.Code)[1]}", ReferralType.Legal, ReferralType.PaternityAndChildSupport);
                Add($"Former Women's Shelter {city}", ReferralType.SafetyAndProtection);
                providers[^1].Deactivate();
            }
        }

        foreach (var provider in providers.Where(p => AnswerInPortal.Contains(p.Name)))
        {
            provider.SetAnswersInPortal(true);
        }

        return providers;
    }
}
