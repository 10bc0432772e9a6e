using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoSensor.Tests.Media.Contract;

/// <summary>
/// Checks JSON against the OpenAPI schema subset MediaMTX's spec uses: $ref, type, nullable, enum,
/// properties, items, allOf, oneOf. A property the schema does not declare is an error, because
/// MediaMTX decodes with unknown fields disallowed.
/// </summary>
public sealed class SchemaValidator(OpenApiSpec spec)
{
    public IReadOnlyList<string> Validate(JsonElement value, JsonObject schema, string at = "$")
    {
        var errors = new List<string>();
        Check(value, schema, at, errors);
        return errors;
    }

    private void Check(JsonElement value, JsonObject schema, string at, List<string> errors)
    {
        var nullable = schema["nullable"]?.GetValue<bool>() ?? false;
        if (schema["$ref"] is JsonValue reference)
        {
            if (value.ValueKind == JsonValueKind.Null && nullable)
            {
                return;
            }

            Check(value, spec.Resolve(reference.GetValue<string>()), at, errors);
            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable)
            {
                errors.Add($"{at}: null is not allowed");
            }

            return;
        }

        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf)
            {
                Check(value, (JsonObject)part!, at, errors);
            }
        }

        if (schema["oneOf"] is JsonArray oneOf)
        {
            var passing = oneOf.Count(part => Validate(value, (JsonObject)part!, at).Count == 0);
            if (passing == 0)
            {
                errors.Add($"{at}: matches none of the oneOf schemas");
            }
        }

        var type = schema["type"]?.GetValue<string>();
        switch (type)
        {
            case "object":
                CheckObject(value, schema, at, errors);
                break;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{at}: expected array, got {value.ValueKind}");
                }
                else if (schema["items"] is JsonObject items)
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        Check(item, items, $"{at}[{i++}]", errors);
                    }
                }

                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    errors.Add($"{at}: expected string, got {value.ValueKind}");
                }
                else if (schema["enum"] is JsonArray values && !values.Any(v => v?.ToString() == value.GetString()))
                {
                    errors.Add($"{at}: '{value.GetString()}' is not one of [{string.Join(", ", values)}]");
                }

                break;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !(value.TryGetInt64(out _) || value.TryGetUInt64(out _)))
                {
                    errors.Add($"{at}: expected integer, got {value}");
                }
                else if (schema["format"]?.GetValue<string>() is "uint64" && !value.TryGetUInt64(out _))
                {
                    errors.Add($"{at}: expected a non-negative integer, got {value}");
                }

                break;
            case "number":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    errors.Add($"{at}: expected number, got {value.ValueKind}");
                }

                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add($"{at}: expected boolean, got {value.ValueKind}");
                }

                break;
            case null:
                break;
            default:
                errors.Add($"{at}: the validator does not know type '{type}'");
                break;
        }
    }

    private void CheckObject(JsonElement value, JsonObject schema, string at, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected object, got {value.ValueKind}");
            return;
        }

        if (schema["properties"] is not JsonObject properties)
        {
            // The object's members are described by allOf parts (checked there), or it is free-form.
            return;
        }

        foreach (var member in value.EnumerateObject())
        {
            if (properties[member.Name] is JsonObject property)
            {
                Check(member.Value, property, $"{at}.{member.Name}", errors);
            }
            else
            {
                errors.Add($"{at}: unknown field '{member.Name}'");
            }
        }
    }
}
