namespace VideoSensor.Platform.Registration;

/// <summary>
/// How many streams this sensor is serving now, for the capacity it announces. The media layer
/// (ingest supervisor) replaces the default, which counts none because this build starts no streams.
/// </summary>
internal interface IStreamCapacity
{
    int ActiveStreams { get; }
}

internal sealed class NoStreamCapacity : IStreamCapacity
{
    public int ActiveStreams => 0;
}
