using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using VideoSensor.Api.Json;
using VideoSensor.Contracts;
using VideoSensor.Errors;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>
/// The params step for one method: binds the params object once, from the method's declared request type, and
/// validates it (<see cref="IValidatedRequest"/>); the bound object is what the method receives. Every failure is
/// -32602 naming the param and its rule, found from the serializer's JSON path and the type's metadata.
/// </summary>
internal sealed class ParamsBinding
{
    /// <summary>
    /// The API's JSON rules, plus: a null where the parameter's type does not allow one is a type error here,
    /// so method code never meets a null it did not ask for.
    /// </summary>
    private static readonly JsonSerializerOptions HostStrict = CreateStrict(HostJson.Api);

    private readonly JsonTypeInfo _type;
    private readonly string[] _required;

    private ParamsBinding(JsonTypeInfo type)
    {
        _type = type;
        _required = [.. type.Properties.Where(p => p.IsRequired).Select(p => p.Name)];
    }

    /// <summary>The binder of <paramref name="type"/>, from its generated metadata (the host's, or <paramref name="api"/>'s).</summary>
    public static ParamsBinding For(Type type, JsonSerializerOptions? api = null)
    {
        var strict = api is null || ReferenceEquals(api, HostJson.Api) ? HostStrict : CreateStrict(api);
        return strict.TryGetTypeInfo(type, out var info)
            ? new(info)
            : throw new InvalidOperationException($"params type {type.Name} has no generated JSON metadata: add [JsonSerializable(typeof({type.Name}))] to {nameof(HostJsonContext)}");
    }

    /// <summary>Binds <paramref name="parameters"/> (null when none were sent: every param takes its default).</summary>
    public RpcError? TryBind(JsonElement? parameters, out object? request)
    {
        request = null;
        if (parameters is { } given && NullInList(given) is { } listParam)
        {
            return RpcError.InvalidParams(listParam, "a list without nulls", $"'{listParam}' contains null");
        }

        try
        {
            request = parameters is { } p
                ? JsonSerializer.Deserialize(JsonMarshal.GetRawUtf8Value(p), _type)
                : JsonSerializer.Deserialize("{}"u8, _type);
        }
        catch (JsonException ex)
        {
            return Explain(ex, parameters);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException or OverflowException)
        {
            return RpcError.InvalidParams("params", "type", "params do not match the method's parameters");
        }

        try
        {
            (request as IValidatedRequest)?.Validate();
        }
        catch (InvalidParameterException ex)
        {
            return RpcError.InvalidParams(ex.Param, ex.Rule, ex.Message);
        }
        catch (RpcException ex)
        {
            return ex.Error;
        }

        return null;
    }

    /// <summary>
    /// Why binding failed. The serializer reports a missing required member at the object (<c>$</c>), anything else
    /// at the member it could not read (<c>$.quality</c>, <c>$.topics[0]</c>).
    /// </summary>
    private RpcError Explain(JsonException ex, JsonElement? parameters)
    {
        if (ex.Path is not { Length: > 2 } path)
        {
            return MissingRequired(parameters) is { } missing
                ? RpcError.InvalidParams(missing, "required", $"'{missing}' is required")
                : RpcError.InvalidParams("params", "type", "'params' has the wrong type");
        }

        var param = path.TrimStart('$', '.').Split('.', '[')[0];
        return parameters is { } p && p.TryGetProperty(param, out var sent) && sent.ValueKind == JsonValueKind.Null
            ? RpcError.InvalidParams(param, "not null", $"'{param}' must not be null")
            : RpcError.InvalidParams(param, "type", $"'{param}' has the wrong type");
    }

    /// <summary>The first required member the params lack (names match as the serializer matches them: ignoring case).</summary>
    private string? MissingRequired(JsonElement? parameters)
    {
        foreach (var name in _required)
        {
            var found = false;
            if (parameters is { } p)
            {
                foreach (var property in p.EnumerateObject())
                {
                    found |= string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase);
                }
            }

            if (!found)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The top-level param holding a list with a null in it, at any depth; null if there is none.</summary>
    private static string? NullInList(JsonElement parameters)
    {
        foreach (var property in parameters.EnumerateObject())
        {
            if (HasNullElement(property.Value))
            {
                return property.Name;
            }
        }

        return null;
    }

    private static bool HasNullElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Null || HasNullElement(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (HasNullElement(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static JsonSerializerOptions CreateStrict(JsonSerializerOptions api)
    {
        var options = new JsonSerializerOptions(api) { RespectNullableAnnotations = true };
        options.MakeReadOnly();
        return options;
    }
}
