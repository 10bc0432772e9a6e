using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Media;

/// <summary>The <c>media:</c> section: the ffmpeg binaries and the public stream ports.</summary>
internal sealed class MediaOptions : IValidatableObject
{
    public const string Section = "media";

    [ConfigurationKeyName("ffmpeg_path"), Required] public string FfmpegPath { get; set; } = "ffmpeg";
    [ConfigurationKeyName("ffprobe_path"), Required] public string FfprobePath { get; set; } = "ffprobe";
    [ConfigurationKeyName("snapshot_timeout_seconds"), Range(1, 120)] public int SnapshotTimeoutSeconds { get; set; } = 15;
    /// <summary>How long one ffprobe of a stored file may run before it is killed (its answer is then "unknown", never "empty").</summary>
    [ConfigurationKeyName("probe_timeout_seconds"), Range(1, 120)] public int ProbeTimeoutSeconds { get; set; } = 10;
    [ConfigurationKeyName("max_parallel_snapshots"), Range(1, 64)] public int MaxParallelSnapshots { get; set; } = 4;
    [ConfigurationKeyName("rtsp_port"), Range(1, 65535)] public int RtspPort { get; set; } = 8554;
    [ConfigurationKeyName("webrtc_port"), Range(1, 65535)] public int WebRtcPort { get; set; } = 8889;
    [ConfigurationKeyName("hls_port"), Range(1, 65535)] public int HlsPort { get; set; } = 8888;

    /// <summary>UDP port MediaMTX receives and sends RTSP's RTP on; RTCP uses the next one (MediaMTX requires the pair).</summary>
    [ConfigurationKeyName("rtp_port"), Range(1, 65534)] public int RtpPort { get; set; } = 8000;

    /// <summary>UDP port of WebRTC's media (ICE host candidates).</summary>
    [ConfigurationKeyName("webrtc_udp_port"), Range(1, 65535)] public int WebRtcUdpPort { get; set; } = 8189;

    /// <summary>
    /// Extra addresses (IPs or host names) MediaMTX offers WebRTC clients as ICE candidates besides its interfaces'
    /// own: behind NAT or in a pod, the address a client outside can reach (the node's IP, a NodePort's host).
    /// </summary>
    [ConfigurationKeyName("webrtc_additional_hosts")] public List<string> WebRtcAdditionalHosts { get; set; } = [];

    [ConfigurationKeyName("mediamtx")] public MediaMtx.MediaMtxOptions MediaMtx { get; set; } = new();

    public int RtcpPort => RtpPort + 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RtpPort % 2 != 0)
        {
            yield return new ValidationResult("must be even: MediaMTX uses it for RTP and the next port for RTCP", [nameof(RtpPort)]);
        }

        // A bare address: MediaMTX pairs it with webrtc_udp_port itself, so a scheme, port or path would be offered verbatim.
        foreach (var host in WebRtcAdditionalHosts.Where(h => Uri.CheckHostName(h) == UriHostNameType.Unknown))
        {
            yield return new ValidationResult($"'{host}' is not an IP address or host name", [nameof(WebRtcAdditionalHosts)]);
        }
    }
}
