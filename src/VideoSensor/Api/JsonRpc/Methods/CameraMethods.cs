using VideoSensor.Requests;
using VideoSensor.Contracts;
using System.ComponentModel.DataAnnotations;
using VideoSensor.Cameras;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>The camera inventory: list, status, capabilities.</summary>
internal sealed partial class CameraMethods(CameraRegistry registry, StreamUrls urls, StreamState streams, TimeProvider time) : IRpcMethodGroup
{
    [RpcMethod("get_camera_list", Role.Viewer, "Every camera with its status and stream URLs.", Result = "{cameras, total, connected}")]
    public CameraList GetCameraList()
    {
        var cameras = registry.List().Select(c => CameraView.From(c, urls)).ToList();
        return new CameraList(cameras, cameras.Count, cameras.Count(c => c.Status == "CONNECTED"));
    }

    [RpcErrors(RpcErrorCodes.NotFound)]
    [RpcMethod("get_camera_status", Role.Viewer, "One camera's status, streams and capabilities.", Result = "{device, status, name, resolution, fps, streams, metrics?, capabilities, audio?}")]
    public async Task<CameraStatusResult> GetCameraStatusAsync(DeviceParams request, CancellationToken cancellationToken)
    {
        var camera = registry.Get(request.Device);
        var view = CameraView.From(camera, urls);
        var metrics = await streams.TryMetricsAsync(camera.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new CameraStatusResult(view.Device, view.Status, view.Name, view.Resolution, view.Fps, view.Streams, view.Kind, view.Reason, metrics,
            new CapabilitySummary(camera.Capabilities.Formats, [.. camera.Capabilities.Resolutions.Select(r => r.ToString())]),
            AudioTrackView.From(camera.Audio));
    }

    [RpcErrors(RpcErrorCodes.NotFound)]
    [RpcMethod("get_camera_capabilities", Role.Viewer, "Formats, frame sizes and rates a camera offers.", Result = "{device, formats, resolutions, fps_options, frame_rates, capabilities, validation_status, audio?, audio_track?}")]
    public CapabilitiesResult GetCameraCapabilities(DeviceParams request)
    {
        var camera = registry.Get(request.Device);
        var caps = camera.Capabilities;
        return new CapabilitiesResult(
            camera.Id,
            caps.Formats,
            [.. caps.Resolutions.Select(r => r.ToString())],
            caps.FrameRates,
            [.. caps.FrameRates.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            caps.Features,
            caps.ValidationStatus,
            AudioCapabilityView.From(caps.Audio),
            AudioTrackView.From(camera.Audio));
    }
}

/// <summary>Params of methods that name one camera.</summary>
internal sealed class DeviceParams : IValidatedRequest
{
    public required string Device { get; init; }

    public void Validate() => RequestRules.Device(Device);
}

internal sealed record CameraList(IReadOnlyList<CameraView> Cameras, int Total, int Connected);

internal sealed record CapabilitySummary(IReadOnlyList<string> Formats, IReadOnlyList<string> Resolutions);

/// <summary><c>get_camera_status</c>; <c>audio</c> is the audio track measured from the stream (null: none seen yet).</summary>
internal sealed record CameraStatusResult(string Device, [property: AllowedValues("CONNECTED", "DISCONNECTED", "ERROR")] string Status, string Name, string Resolution, int Fps, StreamLinks Streams, string Kind, string? Reason, StreamMetrics? Metrics, CapabilitySummary Capabilities, AudioTrackView? Audio);

/// <summary><c>get_camera_capabilities</c>; <c>audio</c> is the camera's microphone (USB), <c>audio_track</c> the measured track.</summary>
internal sealed record CapabilitiesResult(string Device, IReadOnlyList<string> Formats, IReadOnlyList<string> Resolutions, IReadOnlyList<int> FpsOptions, IReadOnlyList<string> FrameRates, IReadOnlyList<string> Capabilities, string ValidationStatus, AudioCapabilityView? Audio, AudioTrackView? AudioTrack);
