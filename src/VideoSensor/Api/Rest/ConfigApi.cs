using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using VideoSensor.Configuration;
using VideoSensor.Security;

namespace VideoSensor.Api.Rest;

/// <summary>The effective configuration (file + environment + live changes), with secrets redacted. Viewers read it.</summary>
internal static class ConfigApi
{
    public const string Redacted = "***";

    public static void MapConfigApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/config", Ok<JsonObject> (IConfiguration configuration) =>
            TypedResults.Ok(Describe(configuration.Get<SensorOptions>() ?? new SensorOptions())))
        .WithTags("config").RequireRole(Role.Viewer);

    /// <summary>The options as the YAML keys name them. Strings under secret-looking keys are masked; secret references are shown (they are names, not secrets).</summary>
    internal static JsonObject Describe(object options)
    {
        var node = new JsonObject();
        // OptionsShapes lists every option class with its properties kept for trimming, so this walk works under Native AOT.
        foreach (var property in OptionsShapes.Of(options.GetType()).Properties)
        {
            var key = property.Info.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name;
            if (key is null)
            {
                continue; // computed helpers (paths derived from keys), not configuration
            }

            node[key] = Value(key, property.Info.GetValue(options));
        }

        return node;
    }

    private static JsonNode? Value(string key, object? value) => value switch
    {
        null => null,
        string s when IsSecretKey(key) && s.Length > 0 => Redacted,
        string s => s,
        bool b => b,
        int i => i,
        long l => l,
        double d => d,
        Enum e => e.ToString(),
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, IsSecretKey(k.ToString()!) ? (JsonNode?)Redacted : Value(k.ToString()!, map[k])))),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(i => Value(key, i))]),
        _ when value.GetType().IsPrimitive => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => Describe(value),
    };

    private static bool IsSecretKey(string key) =>
        key.Contains("secret", StringComparison.OrdinalIgnoreCase) || key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("token", StringComparison.OrdinalIgnoreCase) || key.Equals("sha256", StringComparison.OrdinalIgnoreCase)
        || key.Contains("api_key", StringComparison.OrdinalIgnoreCase) || key.Contains("credential", StringComparison.OrdinalIgnoreCase);
}
