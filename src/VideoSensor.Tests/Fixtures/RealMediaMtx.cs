using System.Globalization;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// The real MediaMTX binary for tests and benchmarks: <c>MEDIAMTX_BINARY</c>, else <c>mediamtx</c> on PATH. Where
/// neither exists a test skips with the reason, except in CI (<c>CI=true</c>), where a missing binary fails it: CI
/// points <c>MEDIAMTX_BINARY</c> at the provided build, and there the real-server tests must run.
/// </summary>
public static class RealMediaMtx
{
    public static string? Binary
    {
        get
        {
            if (Environment.GetEnvironmentVariable("MEDIAMTX_BINARY") is { Length: > 0 } configured)
            {
                return File.Exists(configured) ? Path.GetFullPath(configured) : null;
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "mediamtx"))
                .FirstOrDefault(File.Exists);
        }
    }

    /// <summary>Why the real-server tests cannot run here, or null when they can.</summary>
    public static string? WhyUnavailable => Binary is null ? "no MediaMTX binary: set MEDIAMTX_BINARY or put mediamtx on PATH" : null;

    /// <summary>CI must run the real-server tests: there a missing binary is a failure, not a skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Ports of one managed MediaMTX instance, all free loopback ports (RTP even, RTCP the next one).</summary>
    public sealed record Ports(int Rtsp, int Hls, int WebRtc, int Rtp, int WebRtcUdp, int Api)
    {
        public static Ports Allocate()
        {
            int rtp;
            do
            {
                rtp = FreePort.Next();
            }
            while (rtp % 2 != 0 || !FreePort.TryTake(rtp + 1));

            return new Ports(FreePort.Next(), FreePort.Next(), FreePort.Next(), rtp, FreePort.Next(), FreePort.Next());
        }
    }

    /// <summary>
    /// The same as environment overrides, for the service run as its own process (<see cref="ServiceProcess"/>): the
    /// service reads no tool variable such as <c>MEDIAMTX_BINARY</c>, only its config keys. Every port is moved, so
    /// nothing collides with another instance or the defaults.
    /// </summary>
    public static Dictionary<string, string> ServiceEnvironment(string binary, Ports ports) => new()
    {
        ["VIDEOSENSOR__MEDIA__RTSP_PORT"] = ports.Rtsp.ToString(CultureInfo.InvariantCulture),
        ["VIDEOSENSOR__MEDIA__HLS_PORT"] = ports.Hls.ToString(CultureInfo.InvariantCulture),
        ["VIDEOSENSOR__MEDIA__WEBRTC_PORT"] = ports.WebRtc.ToString(CultureInfo.InvariantCulture),
        ["VIDEOSENSOR__MEDIA__RTP_PORT"] = ports.Rtp.ToString(CultureInfo.InvariantCulture),
        ["VIDEOSENSOR__MEDIA__WEBRTC_UDP_PORT"] = ports.WebRtcUdp.ToString(CultureInfo.InvariantCulture),
        ["VIDEOSENSOR__MEDIA__MEDIAMTX__MODE"] = "managed",
        ["VIDEOSENSOR__MEDIA__MEDIAMTX__BINARY_PATH"] = binary,
        ["VIDEOSENSOR__MEDIA__MEDIAMTX__API_ADDRESS"] = $"127.0.0.1:{ports.Api.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>The <c>media:</c> section of a service that manages the real MediaMTX on <paramref name="ports"/>.</summary>
    public static string Yaml(string binary, Ports ports, int autoCloseAfter = 300, int publishTimeoutSeconds = 10) => string.Create(CultureInfo.InvariantCulture, $"""
        media:
          rtsp_port: {ports.Rtsp}
          hls_port: {ports.Hls}
          webrtc_port: {ports.WebRtc}
          rtp_port: {ports.Rtp}
          webrtc_udp_port: {ports.WebRtcUdp}
          mediamtx:
            mode: managed
            binary_path: {binary}
            api_address: 127.0.0.1:{ports.Api}
            restart_min_seconds: 0.2
            restart_max_seconds: 1
            reconcile_interval_seconds: 5
            auto_close_after: {autoCloseAfter}
            publish_timeout_seconds: {publishTimeoutSeconds}
        """);
}
