using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Contracts;

/// <summary>The real MediaMTX named by <c>MEDIAMTX_BINARY</c>, run by the service on free loopback ports.</summary>
internal static class ManagedMediaMtx
{
    public static string? Binary { get; } =
        System.Environment.GetEnvironmentVariable("MEDIAMTX_BINARY") is { Length: > 0 } path && File.Exists(path) ? path : null;

    /// <summary>The same settings as environment overrides, for the service run as its own process.</summary>
    public static Dictionary<string, string> Environment()
    {
        if (Binary is null)
        {
            return new() { ["VIDEOSENSOR__MEDIA__MEDIAMTX__MODE"] = "disabled" };
        }

        return new()
        {
            ["VIDEOSENSOR__MEDIA__RTSP_PORT"] = Port(FreePort.Next()),
            ["VIDEOSENSOR__MEDIA__WEBRTC_PORT"] = Port(FreePort.Next()),
            ["VIDEOSENSOR__MEDIA__HLS_PORT"] = Port(FreePort.Next()),
            ["VIDEOSENSOR__MEDIA__RTP_PORT"] = Port(EvenPort()),
            ["VIDEOSENSOR__MEDIA__WEBRTC_UDP_PORT"] = Port(FreePort.Next()),
            ["VIDEOSENSOR__MEDIA__MEDIAMTX__MODE"] = "managed",
            ["VIDEOSENSOR__MEDIA__MEDIAMTX__BINARY_PATH"] = Binary,
            ["VIDEOSENSOR__MEDIA__MEDIAMTX__API_ADDRESS"] = $"127.0.0.1:{FreePort.Next()}",
        };
    }

    /// <summary>The <c>media:</c> section: managed MediaMTX when there is a binary, streaming off otherwise.</summary>
    public static string Yaml()
    {
        if (Binary is null)
        {
            return "media:\n  mediamtx:\n    mode: disabled\n";
        }

        var rtp = EvenPort();
        return $"""
            media:
              rtsp_port: {FreePort.Next()}
              webrtc_port: {FreePort.Next()}
              hls_port: {FreePort.Next()}
              rtp_port: {rtp}
              webrtc_udp_port: {FreePort.Next()}
              mediamtx:
                mode: managed
                binary_path: {Binary}
                api_address: 127.0.0.1:{FreePort.Next()}
                reconcile_interval_seconds: 1
            """;
    }

    /// <summary>MediaMTX takes RTP on an even port and RTCP on the next one: both are taken from the free ports.</summary>
    private static int EvenPort()
    {
        while (true)
        {
            var port = FreePort.Next();
            if (port % 2 == 0 && FreePort.Next() == port + 1)
            {
                return port;
            }
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
