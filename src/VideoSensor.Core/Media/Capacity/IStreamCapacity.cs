namespace VideoSensor.Media.Capacity;

/// <summary>
/// How many streams this sensor is serving now, for the capacity it announces. The media layer
/// (ingest supervisor) replaces the default, which counts none because this build starts no streams.
/// </summary>
internal interface IStreamCapacity
{
    int MaxStreams { get; }

    int ActiveStreams { get; }
}

internal sealed class NoStreamCapacity : IStreamCapacity
{
    public int MaxStreams => 0;

    public int ActiveStreams => 0;
}
