using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Cameras.Discovery;

/// <summary>The <c>discovery:</c> section: where to look for RTSP streams on the network.</summary>
internal sealed class DiscoveryOptions
{
    public const string Section = "discovery";

    /// <summary>Hosts (names or addresses) to probe. Nothing is probed that is not listed here.</summary>
    [ConfigurationKeyName("hosts")] public List<string> Hosts { get; set; } = [];

    // Lists default to null: the binder merges a configured list into a default one by index.
    [ConfigurationKeyName("ports")] public List<int>? Ports { get; set; }

    [ConfigurationKeyName("paths")] public List<string>? Paths { get; set; }

    public IReadOnlyList<int> EffectivePorts => Ports ?? [554, 8554];

    public IReadOnlyList<string> EffectivePaths => Paths ?? ["/", "/stream", "/live", "/cam", "/h264", "/Streaming/Channels/101"];

    [ConfigurationKeyName("timeout_ms"), Range(50, 30_000)] public int TimeoutMs { get; set; } = 1500;

    [ConfigurationKeyName("max_concurrency"), Range(1, 256)] public int MaxConcurrency { get; set; } = 16;

    /// <summary>Seconds between background scans; 0 = only on request (live). <c>set_discovery_interval</c> overrides it until this value changes again.</summary>
    [ConfigurationKeyName("scan_interval_seconds"), Range(0, 86_400)] public int ScanIntervalSeconds { get; set; }
}
