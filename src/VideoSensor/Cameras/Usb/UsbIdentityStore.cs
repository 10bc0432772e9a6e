using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoSensor.Cameras.Usb;

/// <summary>
/// The persisted map from a camera's identity key to its id (<c>camera0</c>, <c>camera1</c>, …), so ids
/// survive re-plugs, port moves (with a serial), renumbering and restarts. Written atomically: a new file
/// is flushed next to the old one and renamed over it, so a crash leaves the old map or the new one.
/// </summary>
internal sealed class UsbIdentityStore
{
    public const string FileName = "usb-cameras.json";

    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _ids;

    public UsbIdentityStore(string stateDirectory)
    {
        _path = Path.Combine(stateDirectory, FileName);
        (_ids, LoadProblem) = Load(_path);
    }

    /// <summary>Why the saved map could not be used (it was set aside), or null.</summary>
    public string? LoadProblem { get; }

    public string FilePath => _path;

    /// <summary>The id for a key, assigning (and persisting) the lowest free <c>cameraN</c> the first time.</summary>
    public string IdFor(string key)
    {
        lock (_gate)
        {
            if (_ids.TryGetValue(key, out var id))
            {
                return id;
            }

            var used = _ids.Values.ToHashSet(StringComparer.Ordinal);
            var n = 0;
            while (used.Contains(Id(n)))
            {
                n++;
            }

            _ids[key] = Id(n);
            Save();
            return _ids[key];
        }
    }

    public IReadOnlyDictionary<string, string> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, string>(_ids, StringComparer.Ordinal);
        }
    }

    private static string Id(int n) => "camera" + n.ToString(CultureInfo.InvariantCulture);

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var document = new StoreDocument(1, [.. _ids.OrderBy(p => p.Value, StringComparer.Ordinal).Select(p => new StoreEntry(p.Key, p.Value))]);
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, document, StoreJson.Default.StoreDocument);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
    }

    private static (Dictionary<string, string> Ids, string? Problem) Load(string path)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return (ids, null);
        }

        try
        {
            using var stream = File.OpenRead(path);
            var document = JsonSerializer.Deserialize(stream, StoreJson.Default.StoreDocument);
            foreach (var entry in document?.Cameras ?? [])
            {
                if (entry.Key.Length > 0 && CameraIds.IsValid(entry.Id) && !ids.ContainsValue(entry.Id))
                {
                    ids[entry.Key] = entry.Id;
                }
            }
        }
        catch (JsonException ex)
        {
            // A damaged map must not stop the service; keep the file for a person to look at and start afresh.
            File.Move(path, path + ".corrupt", overwrite: true);
            return (ids, $"{path} is not valid JSON ({ex.Message}); moved to {FileName}.corrupt, ids start afresh");
        }

        return (ids, null);
    }
}

internal sealed record StoreEntry(string Key, string Id);

internal sealed record StoreDocument(int Version, IReadOnlyList<StoreEntry> Cameras);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(StoreDocument))]
internal sealed partial class StoreJson : JsonSerializerContext;
