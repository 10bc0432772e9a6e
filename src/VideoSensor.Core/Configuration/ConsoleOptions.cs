using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration;

/// <summary>The operator web console served at <c>/</c> on the service port.</summary>
internal sealed class ConsoleOptions
{
    public const string Section = "console";

    /// <summary>Serve the console at all; off leaves <c>/</c> unanswered (404).</summary>
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; } = true;

    /// <summary>How often a tile without live video refreshes its snapshot.</summary>
    [ConfigurationKeyName("snapshot_refresh_seconds"), Range(1, 3600)] public int SnapshotRefreshSeconds { get; set; } = 5;

    /// <summary>How long the page waits for WebRTC (then HLS) to show a picture before falling back.</summary>
    [ConfigurationKeyName("live_timeout_seconds"), Range(1, 120)] public int LiveTimeoutSeconds { get; set; } = 8;

    /// <summary>
    /// Try WebRTC before HLS. Off sends tiles straight to HLS: for networks where the browser cannot reach
    /// MediaMTX's WebRTC UDP port, so tiles do not first wait out <see cref="LiveTimeoutSeconds"/> on WebRTC.
    /// </summary>
    [ConfigurationKeyName("webrtc")] public bool WebRtc { get; set; } = true;
}
