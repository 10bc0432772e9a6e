namespace VideoSensor.Cameras.Discovery;

/// <summary>A stream a scan found: its URL, whether it answered, and whether it wants credentials.</summary>
internal sealed record DiscoveredStream(string Url, string Host, int Port, string Path, string Status, int RtspStatus, string? Server, double ResponseMs, bool Known);

/// <summary>The outcome of one scan.</summary>
internal sealed record DiscoveryScan(IReadOnlyList<DiscoveredStream> Streams, DateTimeOffset Timestamp, TimeSpan Duration, IReadOnlyList<string> Errors);
