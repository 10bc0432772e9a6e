using Microsoft.Extensions.Options;
using VideoSensor.Configuration;

namespace VideoSensor.Media;

/// <summary>The URLs clients use to watch a camera, on the configured public host (never localhost).</summary>
internal sealed class StreamUrls(IOptions<MediaOptions> media, IOptions<ServerOptions> server)
{
    private string? _host;

    /// <summary>Worked out once: the options do not change while the service runs, and the machine name is a system call.</summary>
    public string Host => _host ??= string.IsNullOrWhiteSpace(server.Value.PublicHost) ? Environment.MachineName.ToLowerInvariant() : server.Value.PublicHost;

    public string Rtsp(string cameraId) => $"rtsp://{Host}:{media.Value.RtspPort}/{cameraId}";
    public string WebRtc(string cameraId) => $"http://{Host}:{media.Value.WebRtcPort}/{cameraId}/";
    public string Whep(string cameraId) => $"http://{Host}:{media.Value.WebRtcPort}/{cameraId}/whep";
    public string Hls(string cameraId) => $"http://{Host}:{media.Value.HlsPort}/{cameraId}/index.m3u8";
}
