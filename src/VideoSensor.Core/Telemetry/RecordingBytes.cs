using System.Collections.Concurrent;
using VideoSensor.Events;

namespace VideoSensor.Telemetry;

/// <summary>
/// Bytes recordings have written since the service started, from the recorder's own measurements:
/// <c>recording.progress</c> carries the bytes on disk so far, <c>recording.stop</c> the final size.
/// The total only grows (a counter), whatever retention later deletes.
/// </summary>
internal sealed class RecordingBytes : IEventSink
{
    private readonly ConcurrentDictionary<string, long> _active = new(StringComparer.Ordinal);
    private long _finished;

    public long Total => Interlocked.Read(ref _finished) + _active.Values.Sum();

    public void Publish(SensorEvent sensorEvent)
    {
        var key = sensorEvent.Device ?? "";
        switch (sensorEvent.Topic)
        {
            case EventTopics.RecordingProgress when Bytes(sensorEvent, "bytes") is { } bytes:
                _active.AddOrUpdate(key, bytes, (_, previous) => Math.Max(previous, bytes));
                break;
            case EventTopics.RecordingStop:
                _active.TryRemove(key, out var lastProgress);
                Interlocked.Add(ref _finished, Math.Max(lastProgress, Bytes(sensorEvent, "file_size") ?? 0));
                break;
        }
    }

    private static long? Bytes(SensorEvent e, string key) => e.Data.GetValueOrDefault(key) switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        _ => null,
    };
}
