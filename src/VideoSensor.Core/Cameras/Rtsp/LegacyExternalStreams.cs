using System.Text.Json;
using VideoSensor.Secrets;

namespace VideoSensor.Cameras.Rtsp;

/// <summary>
/// Streams that <c>add_external_stream</c> kept in <c>state/external-streams.json</c> before run-time feeds had one
/// store. They are read once into the sources, and the old file is renamed (not deleted) after the sources are written.
/// </summary>
internal static class LegacyExternalStreams
{
    public const string FileName = "external-streams.json";

    public static IReadOnlyList<StoredSource> Read(string statePath)
    {
        var path = Path.Combine(statePath, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(ToSource)];
    }

    public static void Retire(string statePath)
    {
        var path = Path.Combine(statePath, FileName);
        if (File.Exists(path))
        {
            File.Move(path, path + ".imported", overwrite: true);
        }
    }

    private static StoredSource ToSource(JsonElement stream) => new()
    {
        Id = stream.GetProperty("name").GetString()!,
        Url = stream.GetProperty("url").GetString()!,
        StreamType = stream.TryGetProperty("type", out var type) ? type.GetString() ?? SaveSourceRequest.DefaultStreamType : SaveSourceRequest.DefaultStreamType,
        AddedAt = stream.TryGetProperty("added", out var added) ? added.GetDateTimeOffset() : null,
        Username = Reference(stream, "username"),
        Password = Reference(stream, "password"),
    };

    private static SecretReference? Reference(JsonElement stream, string name) =>
        stream.TryGetProperty(name, out var r) && r.ValueKind == JsonValueKind.Object
            ? new SecretReference { Secret = r.GetProperty("secret").GetString()!, Key = r.GetProperty("key").GetString()! }
            : null;
}
