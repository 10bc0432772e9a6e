namespace VideoSensor.Media.Capacity;

/// <summary>One unit of capacity in use: a camera's stream or a recording of it, and since when.</summary>
internal sealed record CapacityHolder(string Device, string Purpose, DateTimeOffset Since);

/// <summary>What holds capacity. A recording of a streaming camera holds two units: the ingest and the recorder each run an ffmpeg.</summary>
internal static class CapacityPurpose
{
    public const string Stream = "stream";
    public const string Recording = "recording";
}
