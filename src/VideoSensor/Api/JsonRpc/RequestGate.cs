using VideoSensor.Errors;
using VideoSensor.Contracts;
using System.Text.Json;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// Checks one incoming message before StreamJsonRpc sees it: shape (JSON-RPC 2.0, named params, no
/// batches), method, authentication, role and parameter types. Whatever fails here is answered with the
/// contract's error and never dispatched.
/// </summary>
internal sealed class RequestGate(RpcMethodCatalog catalog)
{
    /// <summary>The verdict on a message: dispatch it, answer with an error, or ignore it.</summary>
    internal readonly record struct Verdict(RpcError? Error, JsonElement? Id, string? Method, bool Ignore, ParamsRewrite Rewrite = ParamsRewrite.None)
    {
        public static Verdict Dispatch(string method, ParamsRewrite rewrite) => new(null, null, method, false, rewrite);
    }

    /// <summary>How the params must be adjusted before StreamJsonRpc binds them.</summary>
    internal enum ParamsRewrite
    {
        None,
        AddEmpty,
        Remove,
    }

    public Verdict Check(JsonElement root, RpcSession session)
    {
        try
        {
            return CheckCore(root, session);
        }
        catch (InvalidOperationException)
        {
            // Text the JSON reader accepts but .NET strings cannot hold (a lone surrogate in the method name…).
            return Fail(null, RpcError.InvalidRequest("the request contains text that cannot be read"));
        }
    }

    private Verdict CheckCore(JsonElement root, RpcSession session)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return Fail(null, RpcError.InvalidRequest("batches are not supported"));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(null, RpcError.InvalidRequest("a request must be a JSON object"));
        }

        JsonElement? id = root.TryGetProperty("id", out var idElement) ? idElement : null;
        if (id is { ValueKind: not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null) })
        {
            return Fail(null, RpcError.InvalidRequest("id must be a string, a number or null"));
        }

        if (id is { ValueKind: JsonValueKind.Number } n && !n.TryGetInt64(out _))
        {
            return Fail(null, RpcError.InvalidRequest("a numeric id must be an integer"));
        }

        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            return Fail(id, RpcError.InvalidRequest("jsonrpc must be \"2.0\""));
        }

        if (!root.TryGetProperty("method", out var methodElement))
        {
            // A response from the client: the service never calls the client, so there is nothing to match.
            return root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)
                ? new Verdict(null, null, null, Ignore: true)
                : Fail(id, RpcError.InvalidRequest("method is missing"));
        }

        if (methodElement.ValueKind != JsonValueKind.String || methodElement.GetString() is not { Length: > 0 } name)
        {
            return Fail(id, RpcError.InvalidRequest("method must be a non-empty string"));
        }

        JsonElement? parameters = null;
        if (root.TryGetProperty("params", out var p))
        {
            if (p.ValueKind == JsonValueKind.Array)
            {
                return Fail(id, RpcError.InvalidRequest("positional params are not supported: pass params as an object"));
            }

            if (p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return Fail(id, RpcError.InvalidRequest("params must be an object"));
            }

            parameters = p.ValueKind == JsonValueKind.Object ? p : null;
        }

        if (!catalog.TryGet(name, out var method))
        {
            return Fail(id, RpcError.MethodNotFound(name));
        }

        if (method.Access != RpcAccess.Anonymous)
        {
            var user = session.User;
            if (user is null)
            {
                return Fail(id, RpcError.AuthenticationRequired(session.Expired
                    ? "the session's token has expired"
                    : $"'{name}' needs an authenticated session"), name);
            }

            var required = (Role)(int)method.Access;
            if (user.Role < required)
            {
                return Fail(id, RpcError.PermissionDenied(required, user.Role), name);
            }
        }

        if (method.ParamsType is { } type && CheckParams(type, parameters) is { } paramsError)
        {
            return Fail(id, paramsError, name);
        }

        // StreamJsonRpc binds a params object only when one is sent ("no params" means "all defaults" here),
        // and a method without params ignores whatever a client sends along.
        var rewrite = method.ParamsType is not null && parameters is null ? ParamsRewrite.AddEmpty
            : method.ParamsType is null && root.TryGetProperty("params", out _) ? ParamsRewrite.Remove
            : ParamsRewrite.None;
        return Verdict.Dispatch(name, rewrite);
    }

    /// <summary>
    /// The API's JSON rules, plus: a null where the parameter's type does not allow one is a type error here,
    /// so method code never meets a null it did not ask for.
    /// </summary>
    private static readonly JsonSerializerOptions StrictOptions = new(ApiJson.Options) { RespectNullableAnnotations = true };

    /// <summary>Binds params to their type once here, so that type errors name the parameter.</summary>
    private static RpcError? CheckParams(Type type, JsonElement? parameters)
    {
        if (parameters is { } given && NullInList(given) is { } listParam)
        {
            return RpcError.InvalidParams(listParam, "a list without nulls", $"'{listParam}' contains null");
        }

        object? value;
        try
        {
            value = (parameters ?? EmptyObject).Deserialize(type, StrictOptions);
        }
        catch (JsonException ex)
        {
            var param = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.').Split('.', '[')[0] : "params";
            var rule = ex.Message.Contains("missing required", StringComparison.Ordinal) ? "required" : "type";
            var details = rule == "required" ? RequiredDetail(ex.Message) : $"'{param}' has the wrong type";
            if (rule == "required")
            {
                param = RequiredName(ex.Message) ?? param;
            }
            else if (parameters is { } p && p.TryGetProperty(param, out var sent) && sent.ValueKind == JsonValueKind.Null)
            {
                (rule, details) = ("not null", $"'{param}' must not be null");
            }

            return RpcError.InvalidParams(param, rule, details);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException or OverflowException)
        {
            return RpcError.InvalidParams("params", "type", "params do not match the method's parameters");
        }

        try
        {
            (value as IValidatedRequest)?.Validate();
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

    private static bool HasNullElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Null || HasNullElement(e)),
        JsonValueKind.Object => element.EnumerateObject().Any(p => HasNullElement(p.Value)),
        _ => false,
    };

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private static string? RequiredName(string message)
    {
        // "... for type 'T' was missing required properties including: 'device'." — the last quoted name.
        var end = message.LastIndexOf('\'');
        var start = end <= 0 ? -1 : message.LastIndexOf('\'', end - 1);
        return start >= 0 ? message[(start + 1)..end] : null;
    }

    private static string RequiredDetail(string message) =>
        RequiredName(message) is { } name ? $"'{name}' is required" : "a required parameter is missing";

    private static Verdict Fail(JsonElement? id, RpcError error, string? method = null) => new(error, id, method, false);
}
