using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoSensor.Cameras.Usb.V4l2;
using VideoSensor.Errors;
using VideoSensor.Events;
using VideoSensor.Media;

namespace VideoSensor.Cameras.Usb.Controls;

/// <summary>A requested control value: a number (or boolean), or a menu entry's name.</summary>
internal sealed record ControlValueRequest(long? Number, string? Text);

/// <summary>What a set did: the control as read back after the write, and the value before.</summary>
internal sealed record ControlChangeResult(string Device, CameraControl Control, long? Previous, long Requested, bool Applied);

/// <summary>
/// Camera controls of USB cameras: listing, validated setting with read-back, persistence of what was set, and
/// re-applying it whenever the camera connects (re-plug, restart). Other camera kinds answer -32030.
/// </summary>
internal sealed partial class CameraControls(
    CameraRegistry registry,
    IV4l2DeviceOpener opener,
    ControlSettingsStore store,
    EventHub events,
    StreamUrls urls,
    ILogger<CameraControls> logger) : IHostedService, IDisposable
{
    // Control ioctls are quick, but a camera must see one conversation at a time (a set is query + write + read back).
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised after stored values were re-applied to a camera (tests wait on it).</summary>
    public event Action<string>? Restored;

    public async Task<IReadOnlyList<CameraControl>> ListAsync(Camera camera, CancellationToken cancellationToken)
    {
        var path = DevicePath(camera);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var device = Open(path);
            return V4l2ControlSet.Enumerate(device);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ControlChangeResult> SetAsync(Camera camera, string control, ControlValueRequest value, CancellationToken cancellationToken)
    {
        var path = DevicePath(camera);
        ControlChangeResult result;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var device = Open(path);
            var target = Find(V4l2ControlSet.Enumerate(device), control);
            var requested = Resolve(target, value);
            var raw = ControlValueRules.Check(target, requested);
            try
            {
                V4l2ControlSet.Write(device, target.Id, raw);
            }
            catch (V4l2ControlException ex)
            {
                throw Refused(target, ex);
            }

            // Read back everything: the driver may round the value, and other controls' flags may follow (auto modes).
            var after = V4l2ControlSet.Enumerate(device).First(c => c.Id == target.Id);
            result = new ControlChangeResult(camera.Id, after, target.Value, requested, after.Value is null || after.Value == requested);
            if (target.RawType != V4l2ControlAbi.TypeButton)
            {
                store.Remember(camera.Id, new StoredControl(target.Id, target.Name, after.Value ?? requested));
            }
        }
        finally
        {
            _gate.Release();
        }

        LogSet(logger, camera.Id, result.Control.Name, result.Previous, result.Control.Value);
        events.Publish(new CameraControlChanged(camera, StreamLinks.For(urls, camera.Id), result.Control.Name, result.Control.Id, result.Control.Value ?? result.Requested, result.Previous));
        return result;
    }

    /// <summary>Applies the stored values to a camera, in the order they were set; each failure is logged and skipped.</summary>
    public async Task RestoreAsync(Camera camera, CancellationToken cancellationToken)
    {
        var stored = store.For(camera.Id);
        if (stored.Count == 0 || camera.Source is not UsbSource usb)
        {
            return;
        }

        var applied = new List<string>();
        var failed = new List<string>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var device = Open(usb.DevicePath);
            foreach (var setting in stored)
            {
                // Re-read each time: an earlier write (exposure_auto → manual) can make a later control active.
                var control = V4l2ControlSet.Enumerate(device).FirstOrDefault(c => c.Id == setting.Id);
                try
                {
                    if (control is null || control.ReadOnly)
                    {
                        throw new V4l2ControlException("the camera no longer offers it as writable", Errnos.EINVAL);
                    }

                    if (control.Value != setting.Value)
                    {
                        V4l2ControlSet.Write(device, setting.Id, checked((int)setting.Value));
                    }

                    applied.Add(setting.Name);
                }
                catch (Exception ex) when (ex is V4l2ControlException or OverflowException)
                {
                    LogRestoreFailed(logger, camera.Id, setting.Name, ex.Message);
                    failed.Add(setting.Name);
                }
            }
        }
        catch (UnsupportedException ex)
        {
            LogRestoreFailed(logger, camera.Id, "(device)", ex.Message);
            return;
        }
        catch (DependencyException ex)
        {
            LogRestoreFailed(logger, camera.Id, "(device)", ex.Detail);
            return;
        }
        finally
        {
            _gate.Release();
        }

        LogRestored(logger, camera.Id, applied.Count, failed.Count);
        events.Publish(new CameraControlsRestored(camera, StreamLinks.For(urls, camera.Id), applied, failed));
        Restored?.Invoke(camera.Id);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Changed += OnChanged;
        foreach (var camera in registry.List().Where(c => c.Kind == CameraKind.Usb && c.Status == CameraStatus.Connected))
        {
            _ = Task.Run(() => RestoreAsync(camera, CancellationToken.None), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registry.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    public void Dispose() => _gate.Dispose();

    private void OnChanged(CameraChange change)
    {
        if (change.Kind == CameraChangeKind.Connected && change.Camera.Kind == CameraKind.Usb)
        {
            // Registry handlers must not block: the ioctls run off the hot-plug thread.
            _ = Task.Run(() => RestoreAsync(change.Camera, CancellationToken.None), CancellationToken.None);
        }
    }

    private static string DevicePath(Camera camera)
    {
        if (camera.Kind != CameraKind.Usb || camera.Source is not UsbSource usb)
        {
            throw new UnsupportedException("camera_controls", $"camera '{camera.Id}' is a {camera.Kind.ToString().ToLowerInvariant()} camera; controls are offered for USB (V4L2) cameras only", "configure the IP camera through its own web interface");
        }

        if (camera.Status != CameraStatus.Connected)
        {
            throw new InvalidStateException($"camera '{camera.Id}' is {camera.Status.ToWire()}", camera.Status.ToWire(), ["CONNECTED"], "plug the camera in and wait for camera.connected");
        }

        return usb.DevicePath;
    }

    private IV4l2Device Open(string path)
    {
        try
        {
            return opener.Open(path);
        }
        catch (V4l2Exception ex)
        {
            throw new DependencyException("v4l2", ex.Message, "check that the camera is still plugged in and not held by another process");
        }
    }

    private static CameraControl Find(IReadOnlyList<CameraControl> controls, string control)
    {
        var found = controls.FirstOrDefault(c => string.Equals(c.Name, control, StringComparison.OrdinalIgnoreCase)
                || string.Equals(c.Label, control, StringComparison.OrdinalIgnoreCase))
            ?? (TryParseId(control, out var id) ? controls.FirstOrDefault(c => c.Id == id) : null);
        return found ?? throw new NotFoundException("control", control, "call get_camera_controls for this camera's controls");
    }

    private static bool TryParseId(string text, out uint id) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out id)
            : uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id);

    /// <summary>A number as is; a text names a menu entry (by its name or that name's slug).</summary>
    private static long Resolve(CameraControl control, ControlValueRequest value)
    {
        if (value.Number is { } number)
        {
            return number;
        }

        var item = control.Menu?.FirstOrDefault(m => m.Name is { } n
            && (string.Equals(n, value.Text, StringComparison.OrdinalIgnoreCase) || string.Equals(V4l2ControlSet.Slug(n), value.Text, StringComparison.OrdinalIgnoreCase)));
        return item?.Index ?? throw new InvalidParameterException("value", control.Menu is null ? "a number or a boolean" : "a menu index or a menu entry's name",
            $"'{value.Text}' is not a value of control '{control.Name}'");
    }

    private static SensorException Refused(CameraControl control, V4l2ControlException ex) => ex.ErrorNumber switch
    {
        Errnos.EBUSY => new InvalidStateException($"control '{control.Name}' is locked: {ex.Message}", "GRABBED", ["AVAILABLE"], "stop the stream and try again"),
        Errnos.EACCES => new InvalidParameterException("control", "a writable control", $"the driver refused to write '{control.Name}': {ex.Message}"),
        Errnos.ERANGE or Errnos.EINVAL => new InvalidParameterException("value", "a value the driver accepts", $"the driver refused the value for '{control.Name}': {ex.Message}"),
        _ => new DependencyException("v4l2", ex.Message, "check the camera's connection"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Camera}: control {Control} set from {Previous} to {Value}")]
    private static partial void LogSet(ILogger logger, string camera, string control, long? previous, long? value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Camera}: re-applied {Applied} stored control values ({Failed} failed)")]
    private static partial void LogRestored(ILogger logger, string camera, int applied, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Camera}: could not re-apply control {Control}: {Reason}")]
    private static partial void LogRestoreFailed(ILogger logger, string camera, string control, string reason);
}
