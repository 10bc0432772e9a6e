using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// Builds the <c>rpc.discover</c> document from the method catalog, the result types and the
/// notification catalog, so it can never drift from the code: params and result schemas are exported
/// from the types the connection (de)serializes, errors come from the roles and <see cref="RpcErrorsAttribute"/>.
/// </summary>
internal static class OpenRpcDocument
{
    public static Dictionary<string, object?> Build(RpcMethodCatalog catalog)
    {
        var version = typeof(OpenRpcDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        return new Dictionary<string, object?>
        {
            ["openrpc"] = "1.2.6",
            ["info"] = new Dictionary<string, object?>
            {
                ["title"] = "DaprCamera Video Sensor",
                ["version"] = version,
                ["description"] = "JSON-RPC 2.0 over WebSocket; named params only. Notifications the server sends are listed under x-notifications.",
            },
            ["methods"] = catalog.Methods.OrderBy(m => m.Name, StringComparer.Ordinal).Select(Describe).ToList(),
            ["components"] = new Dictionary<string, object?>
            {
                ["errors"] = RpcErrorCatalog.Messages.ToDictionary(e => e.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), e => (object?)Error(e.Key)),
            },
            ["x-notifications"] = RpcNotifications.All.Select(DescribeNotification).ToList(),
        };
    }

    /// <summary>The codes a method can answer with: those of every method, of its role and params, and its own.</summary>
    public static IReadOnlyList<int> ErrorCodes(RpcMethodInfo method)
    {
        var codes = new SortedSet<int> { RpcErrorCodes.InternalError, RpcErrorCodes.RateLimited };
        if (method.ParamsType is not null)
        {
            codes.Add(RpcErrorCodes.InvalidParams);
        }

        if (method.Required is not null)
        {
            codes.Add(RpcErrorCodes.AuthenticationRequired);
        }

        if (method.Required > Role.Viewer)
        {
            codes.Add(RpcErrorCodes.PermissionDenied);
        }

        foreach (var code in method.Declaration.Errors)
        {
            codes.Add(code);
        }

        return [.. codes.Reverse()];
    }

    private static Dictionary<string, object?> Describe(RpcMethodInfo method) => new()
    {
        ["name"] = method.Name,
        ["summary"] = method.Declaration.Summary,
        ["paramStructure"] = "by-name",
        ["params"] = method.ParamsType is null ? new List<object>() : Params(method.ParamsType),
        ["result"] = new Dictionary<string, object?>
        {
            ["name"] = ResultName(method),
            ["description"] = method.Declaration.ResultSummary ?? "",
            ["schema"] = RpcSchemas.For(method.Declaration.ResultType),
        },
        ["errors"] = ErrorCodes(method).Select(Error).ToList(),
        ["x-required-role"] = method.Required?.ToWire() ?? "none",
    };

    private static string ResultName(RpcMethodInfo method) => (method.Declaration.ResultType?.Name ?? "Void") switch
    {
        "String" => "result",
        "Dictionary`2" => "document",
        var name => JsonNamingPolicy.SnakeCaseLower.ConvertName(name),
    };

    private static Dictionary<string, object?> Error(int code) => new()
    {
        ["code"] = code,
        ["message"] = RpcErrorCatalog.Messages[code],
    };

    private static List<object> Params(Type type)
    {
        var schema = RpcSchemas.For(type);
        var properties = schema["properties"] as JsonObject ?? [];
        var list = new List<object>();
        foreach (var property in Json.HostJson.Api.GetTypeInfo(type).Properties)
        {
            var name = property.Name;
            var required = property.IsRequired;
            var propertySchema = properties[name]?.DeepClone() ?? new JsonObject();
            list.Add(new Dictionary<string, object?> { ["name"] = name, ["required"] = required, ["schema"] = propertySchema });
        }

        return list;
    }

    private static Dictionary<string, object?> DescribeNotification(RpcNotification notification) => new()
    {
        ["name"] = notification.Name,
        ["summary"] = notification.Summary,
        ["x-delivery"] = notification.Delivery,
        ["params"] = RpcSchemas.For(notification.ParamsType),
    };
}
