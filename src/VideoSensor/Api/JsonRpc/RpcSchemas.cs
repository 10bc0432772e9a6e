using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// JSON Schemas of params and results, exported from the very types and serializer options the
/// connection uses (System.Text.Json's <see cref="JsonSchemaExporter"/> over their generated metadata,
/// <see cref="Json.HostJson"/>), so they describe what goes over the wire rather than what someone wrote down.
/// </summary>
internal static class RpcSchemas
{
    private static readonly JsonSchemaExporterOptions Exporter = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Transform,
    };

    /// <summary>The schema of <paramref name="type"/>; null (a method that answers null) is <c>{"type":"null"}</c>.</summary>
    public static JsonNode For(Type? type) => For(type, Json.HostJson.Api);

    public static JsonNode For(Type? type, System.Text.Json.JsonSerializerOptions options) =>
        type is null ? new JsonObject { ["type"] = "null" } : options.GetTypeInfo(type).GetJsonSchemaAsNode(Exporter);

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }

        if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: false).FirstOrDefault() is AllowedValuesAttribute values)
        {
            var target = node["additionalProperties"] as JsonObject ?? node;
            target["enum"] = new JsonArray([.. values.Values.Select(v => (JsonNode)JsonValue.Create(v?.ToString())!)]);
        }

        // Results leave nulls out and write everything else: a property that cannot be null is always there,
        // whatever constructor parameter it came from (the exporter would call every one of those required).
        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node["properties"] is JsonObject)
        {
            var required = context.TypeInfo.Properties.Where(NeverNull).Select(p => (JsonNode)JsonValue.Create(p.Name)!).ToArray();
            node.Remove("required");
            if (required.Length > 0)
            {
                node["required"] = new JsonArray(required);
            }
        }

        return node;
    }

    /// <summary>
    /// A property whose getter never gives null: a value type that is not <see cref="Nullable{T}"/>, or a reference the
    /// code declares not-null (the generated metadata carries the nullable annotations; nothing is read at run time).
    /// </summary>
    private static bool NeverNull(JsonPropertyInfo property) => !property.IsGetNullable;
}
