using Microsoft.Extensions.Logging;
using VideoSensor.Cameras.Usb.V4l2;

namespace VideoSensor.Cameras.Usb;

/// <summary>
/// Turns what sysfs and V4L2 say about video nodes into registry entries: assignment filter → identity
/// → capability probe → CONNECTED / ERROR camera; a node that goes away disconnects its camera.
/// Not thread-safe: the watcher serialises calls.
/// </summary>
internal sealed partial class UsbInventory(
    CameraRegistry registry,
    SysfsReader sysfs,
    IV4l2DeviceOpener opener,
    UsbAssignment assignment,
    UsbIdentityStore identities,
    Resolution wantedSize,
    int wantedFps,
    ILogger logger,
    UsbMicrophones? microphones = null,
    Func<string, bool>? audioOn = null)
{
    private readonly Dictionary<string, string> _nodeToCamera = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ignored = new(StringComparer.Ordinal);

    /// <summary>Reads every node and disconnects cameras whose node is gone.</summary>
    public void Rescan()
    {
        var present = sysfs.Enumerate();
        foreach (var node in present)
        {
            Refresh(node.Name, node);
        }

        var names = present.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _nodeToCamera.Keys.Where(n => !names.Contains(n)).ToList())
        {
            Forget(gone);
        }
    }

    /// <summary>Re-reads one node (after an add/change uevent).</summary>
    public void Refresh(string name, UsbNode? node = null)
    {
        node ??= sysfs.Read(name);
        if (node is null)
        {
            Forget(name);
            return;
        }

        var key = UsbIdentity.KeyOf(node);
        if (!assignment.Claims(node))
        {
            if (_ignored.Add(key))
            {
                LogUnassigned(logger, node.Name, node.Device?.VidPid ?? "unknown", assignment.ToString());
            }

            Forget(name);
            return;
        }

        if (node.Problem is { } problem)
        {
            Publish(name, Error(identities.IdFor(key), node, problem));
            return;
        }

        V4l2ProbeResult probe;
        try
        {
            using var device = opener.Open(node.DevicePath);
            probe = V4l2Probe.Probe(device, node.DevicePath);
        }
        catch (V4l2Exception ex)
        {
            Publish(name, Error(identities.IdFor(key), node, ex.Message));
            return;
        }

        if (!probe.IsCapture)
        {
            // UVC metadata nodes (and output-only nodes) share the camera's identity; they are not cameras.
            LogNotCapture(logger, node.Name, probe.Capability.NodeCaps);
            Forget(name);
            return;
        }

        var id = identities.IdFor(key);
        var capture = UsbCaptureChoice.Choose(probe.Formats, wantedSize, wantedFps);
        if (capture is null)
        {
            var offered = string.Join(", ", probe.Formats.Select(f => f.FourCc));
            Publish(name, Error(id, node, $"no pixel format ffmpeg can capture (offers: {(offered.Length > 0 ? offered : "none")})"));
            return;
        }

        var microphone = microphones?.Find(node.UsbDeviceDir);
        var source = new UsbSource(node.DevicePath, capture.InputFormat, capture.Size, capture.Fps,
            microphone is not null && (audioOn ?? (_ => true))(id) ? microphone.ToSource() : null);
        Publish(name, new Camera(id, CameraKind.Usb, DisplayName(node, probe), CameraStatus.Connected, capture.Size, capture.Fps, source,
            UsbCaptureChoice.Capabilities(probe.Formats) with { Audio = microphone?.ToCapability() }, null, node.ClientPath));
    }

    /// <summary>A node went away: its camera is DISCONNECTED unless it already shows up on another node.</summary>
    public void Forget(string name)
    {
        if (!_nodeToCamera.Remove(name, out var id) || _nodeToCamera.ContainsValue(id))
        {
            return;
        }

        if (registry.TryGet(id, out var camera) && camera.Status != CameraStatus.Disconnected)
        {
            registry.Upsert(camera with { Status = CameraStatus.Disconnected, StatusReason = "unplugged" });
        }
    }

    private void Publish(string name, Camera camera)
    {
        // A camera that moved (video0 → video4) leaves its old node behind; drop that mapping.
        foreach (var stale in _nodeToCamera.Where(p => p.Value == camera.Id && p.Key != name).Select(p => p.Key).ToList())
        {
            _nodeToCamera.Remove(stale);
        }

        _nodeToCamera[name] = camera.Id;
        if (registry.TryGet(camera.Id, out var existing) && camera.Source == existing.Source)
        {
            camera = camera with { Audio = existing.Audio }; // measured from the stream, not from sysfs: kept across rescans
        }

        if (existing is not null && Same(existing, camera))
        {
            return; // a duplicate uevent (kernel + udev copies) or an unchanged rescan: no notification
        }

        if (camera.Status == CameraStatus.Error)
        {
            LogError(logger, camera.Id, name, camera.StatusReason ?? "");
        }
        else
        {
            LogConnected(logger, camera.Id, name, camera.Name, camera.Source is UsbSource u ? u.InputFormat : "?", camera.Resolution.ToString(), camera.Fps);
        }

        registry.Upsert(camera);
    }

    private static Camera Error(string id, UsbNode node, string reason)
    {
        var source = new UsbSource(node.DevicePath, "", default, 0);
        return new Camera(id, CameraKind.Usb, node.Label ?? node.Device?.Product ?? node.Name, CameraStatus.Error, default, 0, source,
            CameraCapabilities.Unknown, reason, node.ClientPath);
    }

    private static string DisplayName(UsbNode node, V4l2ProbeResult probe) =>
        node.Label ?? (probe.Capability.Card.Length > 0 ? probe.Capability.Card : null) ?? node.Device?.Product ?? node.Name;

    /// <summary>Record equality, with the capability lists compared by content.</summary>
    internal static bool Same(Camera a, Camera b) =>
        a with { Capabilities = b.Capabilities } == b
        && a.Capabilities.Formats.SequenceEqual(b.Capabilities.Formats)
        && a.Capabilities.Resolutions.SequenceEqual(b.Capabilities.Resolutions)
        && a.Capabilities.FrameRates.SequenceEqual(b.Capabilities.FrameRates)
        && a.Capabilities.Features.SequenceEqual(b.Capabilities.Features)
        && a.Capabilities.ValidationStatus == b.Capabilities.ValidationStatus
        && SameAudio(a.Capabilities.Audio, b.Capabilities.Audio);

    private static bool SameAudio(AudioCapability? a, AudioCapability? b) =>
        (a is null && b is null)
        || (a is not null && b is not null && a.Card == b.Card && a.Channels.SequenceEqual(b.Channels) && a.Rates.SequenceEqual(b.Rates));

    [LoggerMessage(Level = LogLevel.Information, Message = "USB camera on {Node} ({VidPid}) is not assigned to this container (assigned: {Assigned}); ignored")]
    private static partial void LogUnassigned(ILogger logger, string node, string vidPid, string assigned);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Node} is not a video capture node (caps 0x{Caps:x8}); skipped")]
    private static partial void LogNotCapture(ILogger logger, string node, uint caps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "USB camera {Camera} on {Node} is in error: {Reason}")]
    private static partial void LogError(ILogger logger, string camera, string node, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "USB camera {Camera} connected on {Device} ({Name}): {Format} {Size} at {Fps} fps")]
    private static partial void LogConnected(ILogger logger, string camera, string device, string name, string format, string size, int fps);
}
