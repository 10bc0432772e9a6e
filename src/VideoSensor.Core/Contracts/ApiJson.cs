using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoSensor.Contracts;

/// <summary>The JSON conventions of every API (JSON-RPC, REST, platform events): snake_case names, nulls left out, enums as strings.</summary>
/// <remarks>
/// The core serializes nothing with these: the types on the wire belong to the transports in the host and the Dapr
/// adapter, which still read their metadata by reflection. So <see cref="Options"/> says so to every caller (the trim
/// and AOT analyzers report each use) instead of hiding it; a Native AOT host replaces it with these same settings over
/// a generated <c>JsonSerializerContext</c> of its wire types and a <c>JsonStringEnumConverter&lt;TEnum&gt;</c> per enum.
/// </remarks>
internal static class ApiJson
{
    private const string Why = "ApiJson.Options reads the metadata of the types it serializes by reflection; a trimmed or Native AOT host needs a generated JsonSerializerContext with these settings";

    public static JsonSerializerOptions Options
    {
        [RequiresUnreferencedCode(Why)]
        [RequiresDynamicCode(Why)]
        get => Reflection.Options;
    }

    [RequiresUnreferencedCode(Why)]
    [RequiresDynamicCode(Why)]
    private static class Reflection
    {
        public static readonly JsonSerializerOptions Options = Create();

        private static JsonSerializerOptions Create()
        {
            var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
                NumberHandling = JsonNumberHandling.Strict,
                MaxDepth = 32,
            };
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            options.MakeReadOnly(populateMissingResolver: true);
            return options;
        }
    }
}
