using System.ComponentModel.DataAnnotations;
using VideoSensor.Media;

namespace VideoSensor.Cameras;

/// <summary>The stream URLs of a camera as clients see them.</summary>
internal sealed record StreamLinks(string Rtsp, string Webrtc, string Hls);

/// <summary>A camera as the API shows it (<c>get_camera_list</c>, notifications, REST).</summary>
internal sealed record CameraView(string Device, [property: AllowedValues("CONNECTED", "DISCONNECTED", "ERROR")] string Status, string Name, string Resolution, int Fps, StreamLinks Streams, string Kind, string? Reason)
{
    public static CameraView From(Camera camera, StreamUrls urls) => new(
        camera.Id,
        camera.Status.ToWire(),
        camera.Name,
        camera.Resolution.ToString(),
        camera.Fps,
        new StreamLinks(urls.Rtsp(camera.Id), urls.WebRtc(camera.Id), urls.Hls(camera.Id)),
        camera.Kind switch { CameraKind.Usb => "usb", CameraKind.Rtsp => "rtsp", _ => "test_pattern" },
        camera.StatusReason);

    /// <summary>The fields of the camera notifications and events.</summary>
    public Dictionary<string, object?> ToEventData() => new()
    {
        ["status"] = Status,
        ["name"] = Name,
        ["resolution"] = Resolution,
        ["fps"] = Fps,
        ["streams"] = Streams,
        ["kind"] = Kind,
        ["reason"] = Reason,
    };
}
