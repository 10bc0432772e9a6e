using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration.Live;

/// <summary>
/// The settings that may change while the service runs. Everything else (ports, security, storage
/// root…) needs a restart: a change to it is reported and ignored.
/// </summary>
internal static class LiveKeys
{
    /// <summary>
    /// Configuration paths (':'-separated) whose whole subtree is applied live. Each has a consumer that follows
    /// changes: RtspFeeds (feeds, probe interval), UsbCameraWatcher (rescan interval), StreamDiscovery (scan
    /// interval), RetentionStore and StorageMonitor (retention policy, enforced at once).
    /// </summary>
    public static IReadOnlyList<string> Prefixes { get; } =
    [
        "cameras:rtsp",
        "cameras:rtsp_probe_interval_seconds",
        "cameras:usb:rescan_interval_seconds",
        "discovery:scan_interval_seconds",
        "storage:retention",
    ];

    /// <summary>A store or file key (<c>cameras.rtsp</c> or <c>cameras:rtsp</c>) as a configuration path.</summary>
    public static string Normalize(string key) => key.Trim().Replace('.', ':').Replace("__", ":", StringComparison.Ordinal).Trim(':');

    /// <summary>True when the path is a live prefix or lies below one.</summary>
    public static bool IsLive(string path) => Prefixes.Any(p => IsUnder(path, p));

    public static bool IsUnder(string path, string prefix) =>
        path.Equals(prefix, StringComparison.OrdinalIgnoreCase)
        || (path.Length > prefix.Length && path[prefix.Length] == ':' && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>The live part of a flattened configuration: for each live prefix, every value under it.</summary>
    public static Dictionary<string, Dictionary<string, string?>> Slice(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var result = new Dictionary<string, Dictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        var all = values.ToList();
        foreach (var prefix in Prefixes)
        {
            result[prefix] = all.Where(v => IsUnder(v.Key, prefix))
                .ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase);
        }

        return result;
    }

    /// <summary>Paths outside the live set whose value differs between two flattened configurations.</summary>
    public static IReadOnlyList<string> RestartOnlyChanges(IConfiguration before, IEnumerable<KeyValuePair<string, string?>> after)
    {
        var next = after.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase);
        var previous = before.AsEnumerable().Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase);
        return [.. next.Keys.Union(previous.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(k => !IsLive(k))
            .Where(k => !string.Equals(next.GetValueOrDefault(k), previous.GetValueOrDefault(k), StringComparison.Ordinal))
            .Select(k => k.Replace(':', '.'))
            .Order(StringComparer.Ordinal)];
    }
}
