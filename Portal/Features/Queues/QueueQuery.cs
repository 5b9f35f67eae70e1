using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Referrals;

namespace Portal.Features.Queues;

/// <summary>
/// A queue filter as a query string, so a link (a dashboard figure, a bookmark) opens exactly the cases it means:
/// <c>/queues/all?status=Intake,Assessment&amp;country=CF&amp;risk=High&amp;overdue=true&amp;unclaimed=true</c>.
/// Reading never guesses: a parameter it cannot read is reported, so the page can say the list is not what the link meant.
/// </summary>
internal static class QueueQuery
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The filter, and the order the user chose (<c>sort=NextDue&amp;dir=desc</c>; none: the queue's own).</summary>
    public static string ToQueryString(QueueFilter filter, QueueOrder? order = null)
    {
        var pairs = new List<(string Key, string Value)>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                pairs.Add((key, value));
            }
        }

        static string? Day(DateOnly? day) => day?.ToString(DateFormat, CultureInfo.InvariantCulture);
        static string? Flag(bool value) => value ? "true" : null;

        Add("status", filter.Statuses.Count == 0 ? null : string.Join(',', filter.Statuses));
        Add("risk", filter.RiskLevels.Count == 0 ? null : string.Join(',', filter.RiskLevels));
        Add("country", filter.CountryCode?.Trim().ToUpperInvariant());
        Add("number", filter.NumberSearch?.Trim());
        Add("overdue", Flag(filter.OverdueOnly));
        Add("unclaimed", Flag(filter.Unclaimed));
        Add("dueToday", Flag(filter.DueToday));
        Add("referralType", filter.ReferralType?.ToString());
        Add("referralStatus", filter.ReferralStatus?.ToString());
        Add("referralSentFrom", Day(filter.ReferralSentFrom));
        Add("referralSentTo", Day(filter.ReferralSentTo));
        Add("referralAccepted", Flag(filter.ReferralAccepted));
        Add("claimStatus", filter.ClaimStatus?.ToString());
        Add("pendingClaim", Flag(filter.PendingClaim));
        Add("staleClaim", Flag(filter.StaleClaim));
        Add("openedFrom", Day(filter.OpenedFrom));
        Add("openedTo", Day(filter.OpenedTo));
        Add("contacted", Flag(filter.Contacted));
        Add("closedFrom", Day(filter.ClosedFrom));
        Add("closedTo", Day(filter.ClosedTo));
        Add("allegationYear", filter.AllegationYear?.ToString(CultureInfo.InvariantCulture));
        Add("allegationMission", filter.AllegationUnMission is { } mission ? (mission ? "true" : "false") : null);
        Add("sort", order?.Sort.ToString());
        Add("dir", order is null ? null : order.Descending ? "desc" : "asc");
        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value).Replace("%2C", ",", StringComparison.Ordinal)}"));
    }

    /// <summary>Reads a filter from a query string ("?a=b&amp;..." or a full URI); <c>Invalid</c> names each parameter that could not be read.</summary>
    public static (QueueFilter Filter, IReadOnlyList<string> Invalid) Parse(string? queryOrUri)
    {
        var query = queryOrUri ?? "";
        var mark = query.IndexOf('?', StringComparison.Ordinal);
        var values = QueryHelpers.ParseQuery(mark >= 0 ? query[mark..] : "");
        var invalid = new List<string>();
        var filter = QueueFilter.None;

        string? Text(string key) => values.TryGetValue(key, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString().Trim() : null;

        bool Flag(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return false;
            }

            if (bool.TryParse(text, out var parsed))
            {
                return parsed;
            }

            invalid.Add(key);
            return false;
        }

        T? One<T>(string key)
            where T : struct, Enum
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }

            if (Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(text[0]))
            {
                return parsed;
            }

            invalid.Add(key);
            return null;
        }

        List<T> Many<T>(string key)
            where T : struct, Enum
        {
            var text = Text(key);
            if (text is null)
            {
                return [];
            }

            var list = new List<T>();
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Enum.TryParse<T>(part, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(part[0]))
                {
                    list.Add(parsed);
                }
                else
                {
                    invalid.Add(key);
                    return [];
                }
            }

            return list.Distinct().ToList();
        }

        DateOnly? Day(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            invalid.Add(key);
            return null;
        }

        var country = Text("country")?.ToUpperInvariant();
        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            invalid.Add("country");
            country = null;
        }

        int? allegationYear = null;
        if (Text("allegationYear") is { } yearText)
        {
            if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1945 and <= 9998)
            {
                allegationYear = year;
            }
            else
            {
                invalid.Add("allegationYear");
            }
        }

        bool? mission = null;
        if (Text("allegationMission") is { } missionText)
        {
            if (bool.TryParse(missionText, out var m))
            {
                mission = m;
            }
            else
            {
                invalid.Add("allegationMission");
            }
        }

        var number = Text("number");
        filter = filter with
        {
            Statuses = Many<CaseStatus>("status"),
            RiskLevels = Many<RiskLevel>("risk"),
            CountryCode = country,
            NumberSearch = number is { Length: > 20 } ? number[..20] : number,
            OverdueOnly = Flag("overdue"),
            Unclaimed = Flag("unclaimed"),
            DueToday = Flag("dueToday"),
            ReferralType = One<ReferralType>("referralType"),
            ReferralStatus = One<ReferralStatus>("referralStatus"),
            ReferralSentFrom = Day("referralSentFrom"),
            ReferralSentTo = Day("referralSentTo"),
            ReferralAccepted = Flag("referralAccepted"),
            ClaimStatus = One<PaternityClaimStatus>("claimStatus"),
            PendingClaim = Flag("pendingClaim"),
            StaleClaim = Flag("staleClaim"),
            OpenedFrom = Day("openedFrom"),
            OpenedTo = Day("openedTo"),
            Contacted = Flag("contacted"),
            ClosedFrom = Day("closedFrom"),
            ClosedTo = Day("closedTo"),
            AllegationYear = allegationYear,
            AllegationUnMission = mission,
        };
        return (filter, invalid.Distinct().ToList());
    }

    /// <summary>The order a link asks for, null when it names none; <c>Invalid</c> names a parameter that could not be read.</summary>
    public static (QueueOrder? Order, IReadOnlyList<string> Invalid) ParseOrder(string? queryOrUri)
    {
        var query = queryOrUri ?? "";
        var mark = query.IndexOf('?', StringComparison.Ordinal);
        var values = QueryHelpers.ParseQuery(mark >= 0 ? query[mark..] : "");
        var sortText = values.TryGetValue("sort", out var s) && !StringValues.IsNullOrEmpty(s) ? s.ToString().Trim() : null;
        var dirText = values.TryGetValue("dir", out var d) && !StringValues.IsNullOrEmpty(d) ? d.ToString().Trim() : null;
        if (sortText is null)
        {
            return (null, dirText is null ? [] : ["dir"]);
        }

        if (!Enum.TryParse<QueueSort>(sortText, ignoreCase: true, out var sort) || !Enum.IsDefined(sort) || char.IsAsciiDigit(sortText[0]))
        {
            return (null, ["sort"]);
        }

        return dirText?.ToLowerInvariant() switch
        {
            null or "asc" => (new QueueOrder(sort, Descending: false), []),
            "desc" => (new QueueOrder(sort, Descending: true), []),
            _ => (new QueueOrder(sort, Descending: false), ["dir"]),
        };
    }

    /// <summary>True when the filter narrows by anything the queue page has no control for, so the page lists those criteria.</summary>
    public static bool HasLinkOnlyCriteria(QueueFilter filter) =>
        filter.Unclaimed || filter.DueToday || filter.ReferralStatus is not null || filter.ReferralSentFrom is not null || filter.ReferralSentTo is not null
        || filter.ReferralAccepted || filter.ClaimStatus is not null || filter.PendingClaim || filter.StaleClaim || filter.OpenedFrom is not null || filter.OpenedTo is not null
        || filter.Contacted || filter.ClosedFrom is not null || filter.ClosedTo is not null || filter.AllegationYear is not null || filter.AllegationUnMission is not null;
}
