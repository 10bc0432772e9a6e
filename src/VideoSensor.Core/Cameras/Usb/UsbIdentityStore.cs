using System.Globalization;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Usb;

/// <summary>
/// The persisted map from a camera's identity key to its id (<c>camera0</c>, <c>camera1</c>, …), so ids
/// survive re-plugs, port moves (with a serial), renumbering and restarts. Kept in a <see cref="StateFile{T}"/>
/// (written atomically; a damaged file is set aside and ids start afresh).
/// </summary>
internal sealed class UsbIdentityStore
{
    public const string FileName = "usb-cameras.json";

    private readonly StateFile<StoreDocument> _file;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    public UsbIdentityStore(string stateDirectory)
    {
        _file = new StateFile<StoreDocument>(Path.Combine(stateDirectory, FileName));
        foreach (var entry in _file.Read()?.Cameras ?? [])
        {
            if (entry.Key is { Length: > 0 } && CameraIds.IsValid(entry.Id) && !_ids.ContainsValue(entry.Id))
            {
                _ids[entry.Key] = entry.Id;
            }
        }
    }

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
            _file.Write(new StoreDocument(1, [.. _ids.OrderBy(p => p.Value, StringComparer.Ordinal).Select(p => new StoreEntry(p.Key, p.Value))]));
            return _ids[key];
        }
    }

    private static string Id(int n) => "camera" + n.ToString(CultureInfo.InvariantCulture);
}

internal sealed record StoreEntry(string Key, string Id);

internal sealed record StoreDocument(int Version, IReadOnlyList<StoreEntry> Cameras);
