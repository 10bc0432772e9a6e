using System.Collections.Concurrent;
using VideoSensor.Errors;

namespace VideoSensor.Cameras;

/// <summary>
/// The one inventory of cameras of every kind. Providers (test pattern, RTSP, USB) write to it;
/// the API reads it; every change is raised as a <see cref="CameraChange"/>.
/// </summary>
internal sealed class CameraRegistry
{
    private readonly ConcurrentDictionary<string, Camera> _cameras = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Raised after every change, on the thread that made it. Handlers must not block.</summary>
    public event Action<CameraChange>? Changed;

    public IReadOnlyList<Camera> List() => [.. _cameras.Values.OrderBy(c => c.Id, StringComparer.Ordinal)];

    /// <summary>The camera a request names (id or <c>/dev/videoN</c>), or the contract's not-found error (-32010).</summary>
    public Camera Get(string idOrDevicePath) => TryGet(idOrDevicePath, out var camera)
        ? camera
        : throw new NotFoundException("camera", idOrDevicePath, "call get_camera_list for the cameras this service has");

    /// <summary>Finds a camera by id, or by its <c>/dev/videoN</c> node while it is there.</summary>
    public bool TryGet(string idOrDevicePath, out Camera camera)
    {
        if (_cameras.TryGetValue(idOrDevicePath, out camera!))
        {
            return true;
        }

        if (idOrDevicePath.StartsWith("/dev/video", StringComparison.Ordinal))
        {
            var match = _cameras.Values.FirstOrDefault(c =>
                c.Status == CameraStatus.Connected && string.Equals(c.DevicePath, idOrDevicePath, StringComparison.Ordinal));
            if (match is not null)
            {
                camera = match;
                return true;
            }
        }

        camera = null!;
        return false;
    }

    /// <summary>Adds or replaces a camera and raises the change that describes the difference.</summary>
    public void Upsert(Camera camera)
    {
        CameraChange? change;
        lock (_gate)
        {
            _cameras.TryGetValue(camera.Id, out var previous);
            if (previous == camera)
            {
                return;
            }

            _cameras[camera.Id] = camera;
            change = Describe(camera, previous);
        }

        if (change is not null)
        {
            Changed?.Invoke(change);
        }
    }

    /// <summary>Changes a camera's status (and reason), keeping the rest.</summary>
    public bool SetStatus(string id, CameraStatus status, string? reason = null)
    {
        if (!_cameras.TryGetValue(id, out var camera))
        {
            return false;
        }

        Upsert(camera with { Status = status, StatusReason = reason });
        return true;
    }

    public bool Remove(string id)
    {
        Camera? removed;
        lock (_gate)
        {
            if (!_cameras.TryRemove(id, out removed))
            {
                return false;
            }
        }

        Changed?.Invoke(new CameraChange(CameraChangeKind.Removed, removed with { Status = CameraStatus.Disconnected }, removed));
        return true;
    }

    private static CameraChange? Describe(Camera camera, Camera? previous)
    {
        if (previous is null || previous.Status != camera.Status)
        {
            var kind = camera.Status switch
            {
                CameraStatus.Connected => CameraChangeKind.Connected,
                CameraStatus.Disconnected => CameraChangeKind.Disconnected,
                _ => CameraChangeKind.StatusChanged,
            };
            return new CameraChange(kind, camera, previous);
        }

        return new CameraChange(CameraChangeKind.StatusChanged, camera, previous);
    }
}
