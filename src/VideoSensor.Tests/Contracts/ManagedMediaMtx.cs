using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Contracts;

/// <summary>The real MediaMTX named by <c>MEDIAMTX_BINARY</c>, run by the service on free loopback ports.</summary>
internal static class ManagedMediaMtx
{
    public static string? Binary { get; } =
        Environment.GetEnvironmentVariable("MEDIAMTX_BINARY") is { Length: > 0 } path && File.Exists(path) ? path : null;

    /// <summary>The <c>media:</c> section: managed MediaMTX when there is a binary, streaming off otherwise.</summary>
    public static string Yaml()
    {
        if (Binary is null)
        {
            return "media:\n  mediamtx:\n    mode: disabled\n";
        }

        var rtp = FreePort.Next();
        while (rtp % 2 != 0)
        {
            rtp = FreePort.Next();
        }

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
}
