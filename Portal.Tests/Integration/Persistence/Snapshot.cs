using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Portal.Tests.Integration.Persistence;

/// <summary>
/// Every public property of a domain object graph as JSON, to compare what was saved with what was loaded. Owned
/// collections come back "in no guaranteed order", so arrays of objects with a Sequence are put in sequence order.
/// DateTime is written with its kind (a UTC instant ends in Z, an unspecified one does not), so a value that lost its
/// UTC kind on the way through the database shows up as a difference. Instants are compared at the precision the test
/// database keeps (every tick on SQLite, microseconds on PostgreSQL).
/// </summary>
internal static class Snapshot
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new StoredInstantConverter() },
    };

    public static string Of(object value)
    {
        var node = JsonSerializer.SerializeToNode(value, value.GetType(), Options)!;
        Normalise(node);
        return node.ToJsonString(Options);
    }

    private static void Normalise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Normalise(child);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Normalise(item);
                }

                if (array.Count > 1 && array.All(i => i is JsonObject o && o.ContainsKey("Sequence")))
                {
                    var items = array.OrderBy(i => i!["Sequence"]!.GetValue<int>()).ToList();
                    array.Clear();
                    items.ForEach(array.Add);
                }

                break;
        }
    }

    private sealed class StoredInstantConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTime();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(TestSupport.TestPostgres.AsStored(value));
    }
}
