using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks.Driver;

/// <summary>
/// What a prerendered page tells the client about its interactive server components: the
/// <c>&lt;!--Blazor:{"type":"server",...}--&gt;</c> start markers (descriptor, sequence, key, prerenderId)
/// and the protected component state in <c>&lt;!--Blazor-Server-Component-State:...--&gt;</c>.
/// </summary>
public sealed partial record PageMarkers(IReadOnlyList<JsonObject> ServerComponents, string ApplicationState)
{
    public static PageMarkers Parse(string html)
    {
        var components = new List<JsonObject>();
        foreach (Match match in MarkerComment().Matches(html))
        {
            if (JsonNode.Parse(WebUtility.HtmlDecode(match.Groups["json"].Value)) is JsonObject marker
                && marker["type"]?.GetValue<string>() == "server")
            {
                components.Add(marker);
            }
        }

        components.Sort((a, b) => a["sequence"]!.GetValue<int>().CompareTo(b["sequence"]!.GetValue<int>()));
        var state = StateComment().Match(html);
        return new PageMarkers(components, state.Success ? state.Groups["state"].Value : string.Empty);
    }

    /// <summary>The operations blazor.web.js sends with UpdateRootComponents to make the prerendered components interactive.</summary>
    public string AddOperationsJson(int batchId)
    {
        var operations = new JsonArray();
        for (var i = 0; i < ServerComponents.Count; i++)
        {
            operations.Add(new JsonObject
            {
                ["type"] = "add",
                ["ssrComponentId"] = i + 1,
                ["marker"] = ServerComponents[i].DeepClone(),
            });
        }

        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString();
    }

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerComment();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->")]
    private static partial Regex StateComment();
}
