using Microsoft.Extensions.Options;
using VideoSensor.Configuration;

namespace VideoSensor.Media;

/// <summary>The URLs clients use to watch a camera, on the configured public host (never localhost).</summary>
internal sealed class StreamUrls(IOptions<MediaOptions> media, IOptions<ServerOptions> server)
{
    public string Host => string.IsNullOrWhiteSpace(server.Value.PublicHost) ? Environment.MachineName.ToLowerInvariant() : server.Value.PublicHost;

    public string Rtsp(string cameraId) => $"rtsp://{Host}:{media.Value.RtspPort}/{cameraId}";
    public string WebRtc(string cameraId) => $"http://{Host}:{media.Value.WebRtcPort}/{cameraId}/";
    public string Whep(string cameraId) => $"http://{Host}:{media.Value.WebRtcPort}/{cameraId}/whep";
    public string Hls(string cameraId) => $"http://{Host}:{media.Value.HlsPort}/{cameraId}/index.m3u8";
}
