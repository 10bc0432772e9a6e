using Microsoft.Extensions.Options;
using VideoSensor.Storage;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>A control value an operator set, kept to be applied again.</summary>
internal sealed record StoredControl(uint Id, string Name, long Value);

/// <summary>
/// The control values set per camera, in <c>state/camera-controls.json</c>. Keyed by camera id, which the USB
/// layer keeps stable per physical camera (VID:PID + serial or port), so values follow the camera across
/// re-plugs and node renumbering. Kept in the order they were last set, since some depend on others
/// (exposure_time_absolute only takes once exposure_auto is manual).
/// </summary>
internal sealed class ControlSettingsStore(IOptions<StorageOptions> storage)
{
    public const string FileName = "camera-controls.json";

    private readonly StateFile<Dictionary<string, List<StoredControl>>> _file = new(Path.Combine(storage.Value.StatePath, FileName));
    private readonly Lock _gate = new();
    private Dictionary<string, List<StoredControl>>? _all;

    public IReadOnlyList<StoredControl> For(string cameraId)
    {
        lock (_gate)
        {
            return Load().TryGetValue(cameraId, out var list) ? [.. list] : [];
        }
    }

    public void Remember(string cameraId, StoredControl control)
    {
        lock (_gate)
        {
            var all = Load();
            if (!all.TryGetValue(cameraId, out var list))
            {
                all[cameraId] = list = [];
            }

            list.RemoveAll(c => c.Id == control.Id);
            list.Add(control);
            _file.Write(all);
        }
    }

    private Dictionary<string, List<StoredControl>> Load() => _all ??= _file.Read() ?? new Dictionary<string, List<StoredControl>>(StringComparer.Ordinal);
}
