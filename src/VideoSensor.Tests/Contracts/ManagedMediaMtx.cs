using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Contracts;

/// <summary>The real MediaMTX (found as <see cref="RealMediaMtx.Binary"/>), run by the service on free loopback ports.</summary>
internal static class ManagedMediaMtx
{
    public static string? Binary { get; } = RealMediaMtx.Binary;

    /// <summary>The same settings as environment overrides, for the service run as its own process.</summary>
    public static Dictionary<string, string> Environment()
    {
        if (Binary is null)
        {
            return new() { ["VIDEOSENSOR__MEDIA__MEDIAMTX__MODE"] = "disabled" };
        }

        var ports = RealMediaMtx.Ports.Allocate();
        return new()
        {
            ["VIDEOSENSOR__MEDIA__RTSP_PORT"] = Port(ports.Rtsp),
            ["VIDEOSENSOR__MEDIA__WEBRTC_PORT"] = Port(ports.WebRtc),
            ["VIDEOSENSOR__MEDIA__HLS_PORT"] = Port(ports.Hls),
            ["VIDEOSENSOR__MEDIA__RTP_PORT"] = Port(ports.Rtp),
            ["VIDEOSENSOR__MEDIA__WEBRTC_UDP_PORT"] = Port(ports.WebRtcUdp),
            ["VIDEOSENSOR__MEDIA__MEDIAMTX__MODE"] = "managed",
            ["VIDEOSENSOR__MEDIA__MEDIAMTX__BINARY_PATH"] = Binary,
            ["VIDEOSENSOR__MEDIA__MEDIAMTX__API_ADDRESS"] = $"127.0.0.1:{Port(ports.Api)}",
        };
    }

    /// <summary>The <c>media:</c> section: managed MediaMTX when there is a binary, streaming off otherwise.</summary>
    public static string Yaml()
    {
        if (Binary is null)
        {
            return "media:\n  mediamtx:\n    mode: disabled\n";
        }

        var ports = RealMediaMtx.Ports.Allocate();
        return $"""
            media:
              rtsp_port: {ports.Rtsp}
              webrtc_port: {ports.WebRtc}
              hls_port: {ports.Hls}
              rtp_port: {ports.Rtp}
              webrtc_udp_port: {ports.WebRtcUdp}
              mediamtx:
                mode: managed
                binary_path: {Binary}
                api_address: 127.0.0.1:{ports.Api}
                reconcile_interval_seconds: 1
            """;
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
