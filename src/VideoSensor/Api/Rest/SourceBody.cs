using System.Text.Json;
using VideoSensor.Cameras;
using VideoSensor.Configuration;
using VideoSensor.Secrets;

namespace VideoSensor.Api.Rest;

/// <summary>
/// Reads a source body field by field, so every problem names its field: unknown keys, wrong JSON types, inline
/// passwords. The <c>cameras.rtsp</c> rules (URL, no credentials in it, transport, sizes) are the use case's: see
/// <see cref="Cameras.Rtsp.SaveSourceRequest"/>.
/// </summary>
internal static class SourceBody
{
    private static readonly HashSet<string> Keys = ["id", "name", "url", "transport", "username", "password", "resolution", "fps"];

    public static RtspCameraOptions Parse(JsonElement body, string? routeId)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BodyException("(body)", "must be a JSON object");
        }

        foreach (var property in body.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
        {
            throw new BodyException(property.Name, "unknown field");
        }

        var source = new RtspCameraOptions
        {
            Id = String(body, "id") ?? routeId ?? throw new BodyException("id", "is required"),
            Url = String(body, "url") ?? throw new BodyException("url", "is required"),
        };
        if (routeId is not null && source.Id != routeId)
        {
            throw new BodyException("id", $"must match the id in the path ('{routeId}')");
        }

        source.Name = String(body, "name") ?? "";
        source.Transport = String(body, "transport") ?? source.Transport;
        source.Resolution = String(body, "resolution") ?? source.Resolution;
        source.Fps = Int(body, "fps") ?? source.Fps;
        source.Username = Secret(body, "username");
        source.Password = Secret(body, "password");
        return source;
    }

    private static string? String(JsonElement body, string field) => body.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new BodyException(field, "must be a string")
        : null;

    private static int? Int(JsonElement body, string field) => body.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw new BodyException(field, "must be an integer")
        : null;

    /// <summary>Credentials are references into the secret store; a plain string here would be a password on the wire and on disk.</summary>
    private static SecretReference? Secret(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            throw new BodyException(field, "inline credentials are rejected: give a secret reference {\"secret\": name, \"key\": key}");
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new BodyException(field, "must be an object {secret, key}");
        }

        foreach (var p in v.EnumerateObject().Where(p => p.Name is not ("secret" or "key")))
        {
            throw new BodyException($"{field}.{p.Name}", "unknown field");
        }

        return new SecretReference { Secret = String(v, "secret") is { } s ? s : throw new BodyException($"{field}.secret", "is required"), Key = String(v, "key") ?? throw new BodyException($"{field}.key", "is required") };
    }
}
