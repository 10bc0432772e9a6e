using VideoSensor.Contracts;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// JSON Schemas of params and results, exported from the very types and serializer options the
/// connection uses (System.Text.Json's <see cref="JsonSchemaExporter"/>), so they describe what goes
/// over the wire rather than what someone wrote down.
/// </summary>
internal static class RpcSchemas
{
    private static readonly JsonSchemaExporterOptions Exporter = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Transform,
    };

    public static JsonNode For(Type type) => ApiJson.Options.GetJsonSchemaAsNode(Unwrap(type), Exporter);

    /// <summary>The value a method's task completes with.</summary>
    public static Type Unwrap(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;

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

    private static bool NeverNull(JsonPropertyInfo property)
    {
        if (property.PropertyType.IsValueType)
        {
            return Nullable.GetUnderlyingType(property.PropertyType) is null;
        }

        return property.AttributeProvider is PropertyInfo clr && new NullabilityInfoContext().Create(clr).ReadState == NullabilityState.NotNull;
    }
}
