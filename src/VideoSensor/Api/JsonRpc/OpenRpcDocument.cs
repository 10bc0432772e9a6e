using System.Reflection;
using System.Text.Json;

namespace VideoSensor.Api.JsonRpc;

/// <summary>Builds the <c>rpc.discover</c> document from the method catalog, so it can never drift from the code.</summary>
internal static class OpenRpcDocument
{
    public static Dictionary<string, object?> Build(RpcMethodCatalog catalog)
    {
        var version = typeof(OpenRpcDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        return new Dictionary<string, object?>
        {
            ["openrpc"] = "1.2.6",
            ["info"] = new Dictionary<string, object?> { ["title"] = "DaprCamera Video Sensor", ["version"] = version },
            ["methods"] = catalog.Methods.OrderBy(m => m.Name, StringComparer.Ordinal).Select(Describe).ToList(),
        };
    }

    private static Dictionary<string, object?> Describe(RpcMethodInfo method) => new()
    {
        ["name"] = method.Name,
        ["summary"] = method.Summary,
        ["paramStructure"] = "by-name",
        ["params"] = method.ParamsType is null ? new List<object>() : Params(method.ParamsType),
        ["result"] = new Dictionary<string, object?> { ["name"] = "result", ["description"] = method.ResultSummary ?? "", ["schema"] = new Dictionary<string, object?>() },
        ["x-required-role"] = method.Access == RpcAccess.Anonymous ? "none" : method.Access.ToString().ToLowerInvariant(),
    };

    private static List<object> Params(Type type)
    {
        var list = new List<object>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var required = property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null;
            list.Add(new Dictionary<string, object?>
            {
                ["name"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name),
                ["required"] = required,
                ["schema"] = new Dictionary<string, object?> { ["type"] = JsonType(property.PropertyType) },
            });
        }

        return list;
    }

    private static string JsonType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "string";
        }

        if (type == typeof(bool))
        {
            return "boolean";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return "integer";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "number";
        }

        return typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? "array" : "object";
    }
}
