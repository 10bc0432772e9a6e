using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration;
using VideoSensor.Configuration.Live;
using VideoSensor.Security;
using VideoSensor.Storage;

namespace VideoSensor.Api.Rest;

/// <summary>
/// <c>PATCH /api/v1/config</c> (admin): a partial config in the file's shape. It is validated with the same
/// rules as the file, applied at once where the setting is live, persisted in the state folder for every
/// key, and the answer names the keys that take effect only after a restart.
/// </summary>
internal static class ConfigPatchApi
{
    public static void MapConfigPatchApi(this IEndpointRouteBuilder app) =>
        app.MapPatch("/api/v1/config", async Task<Results<Ok<ConfigPatchResult>, ProblemHttpResult>> (
            HttpRequest request, IConfiguration configuration, LiveConfiguration live, IOptions<StorageOptions> storage, CancellationToken ct) =>
        {
            JsonElement body;
            try
            {
                body = await Json.HostJson.ReadElementAsync(request.Body, ct).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                return RestProblems.Field("(body)", "is not valid JSON");
            }

            if (body.ValueKind != JsonValueKind.Object || !body.EnumerateObject().Any())
            {
                return RestProblems.Field("(body)", "must be a non-empty JSON object in the config file's shape, e.g. {\"cameras\": {\"rtsp_probe_interval_seconds\": 10}}");
            }

            var changes = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (Flatten(body, "", changes) is { } badField)
            {
                return RestProblems.Field(badField, "must be a value, an object or a list (null is not allowed)");
            }

            var saved = ConfigOverrides.Read(storage.Value.StatePath) ?? [];
            var all = new Dictionary<string, string?>(saved, StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in changes)
            {
                all[key] = value;
            }

            // The whole configuration as it would be, checked like the file at start.
            var composed = configuration.AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in changes)
            {
                composed[key] = value;
            }

            if (ConfigLoader.Check(composed) is { Count: > 0 } errors)
            {
                return RestProblems.Field(FieldOf(errors[0]), string.Join("; ", errors));
            }

            var liveKeys = changes.Keys.Where(LiveKeys.IsLive).ToList();
            var restartKeys = changes.Keys.Except(liveKeys, StringComparer.OrdinalIgnoreCase).ToList();
            if (liveKeys.Count > 0)
            {
                var owned = LiveKeys.Prefixes
                    .Where(prefix => liveKeys.Any(k => LiveKeys.IsUnder(k, prefix)))
                    .ToDictionary(prefix => prefix, prefix => (IReadOnlyDictionary<string, string?>)all.Where(kv => LiveKeys.IsUnder(kv.Key, prefix)).ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.OrdinalIgnoreCase);
                if (live.Apply("api", owned) is { Count: > 0 } rejected)
                {
                    return RestProblems.Field(FieldOf(rejected[0]), string.Join("; ", rejected));
                }
            }

            ConfigOverrides.Write(storage.Value.StatePath, all);
            return TypedResults.Ok(new ConfigPatchResult(
                [.. liveKeys.Select(Dotted).Order(StringComparer.Ordinal)],
                [.. restartKeys.Select(Dotted).Order(StringComparer.Ordinal)],
                true));
        }).WithTags("config").RequireRole(Role.Admin);

    /// <summary>Flattens a JSON object into configuration keys; returns the dotted key of a null, if any.</summary>
    private static string? Flatten(JsonElement element, string prefix, Dictionary<string, string?> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", into) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Flatten(item, $"{prefix}:{index++}", into) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return Dotted(prefix);
            case JsonValueKind.String:
                into[prefix] = element.GetString();
                return null;
            default:
                into[prefix] = element.GetRawText();
                return null;
        }
    }

    private static string Dotted(string key) => key.Replace(':', '.');

    /// <summary>"config error: server.port (line 3): …" → "server.port".</summary>
    private static string FieldOf(string error)
    {
        var text = error.StartsWith("config error: ", StringComparison.Ordinal) ? error["config error: ".Length..] : error;
        var end = text.IndexOfAny([' ', ':']);
        return end > 0 ? text[..end] : "(body)";
    }
}

/// <summary>What a PATCH did: keys in effect now, keys that wait for a restart, and that both were saved.</summary>
internal sealed record ConfigPatchResult(IReadOnlyList<string> Applied, IReadOnlyList<string> RestartRequired, bool Persisted);
