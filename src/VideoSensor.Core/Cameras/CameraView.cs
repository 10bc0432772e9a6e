using System.ComponentModel.DataAnnotations;
using VideoSensor.Media;

namespace VideoSensor.Cameras;

/// <summary>The stream URLs of a camera as clients see them.</summary>
internal sealed record StreamLinks(string Rtsp, string Webrtc, string Hls)
{
    /// <summary>Every link to one camera, as the API shows them.</summary>
    public static StreamLinks For(StreamUrls urls, string cameraId) => new(urls.Rtsp(cameraId), urls.WebRtc(cameraId), urls.Hls(cameraId));
}

/// <summary>A camera as the API shows it (<c>get_camera_list</c>, notifications, REST).</summary>
internal sealed record CameraView(string Device, [property: AllowedValues("CONNECTED", "DISCONNECTED", "ERROR")] string Status, string Name, string Resolution, int Fps, StreamLinks Streams, string Kind, string? Reason)
{
    public static CameraView From(Camera camera, StreamUrls urls) =>
        From(camera, StreamLinks.For(urls, camera.Id));

    public static CameraView From(Camera camera, StreamLinks streams) => new(
        camera.Id,
        camera.Status.ToWire(),
        camera.Name,
        camera.Resolution.ToString(),
        camera.Fps,
        streams,
        camera.Kind switch { CameraKind.Usb => "usb", CameraKind.Rtsp => "rtsp", _ => "test_pattern" },
        camera.StatusReason);
}
