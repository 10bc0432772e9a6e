using System.Collections.Concurrent;
using VideoSensor.Events;
using VideoSensor.Recording;

namespace VideoSensor.Telemetry;

/// <summary>
/// Bytes recordings have written since the service started, from the recorder's own measurements:
/// <see cref="RecordingProgressed"/> carries the bytes on disk so far, <see cref="RecordingStopped"/> the final size.
/// The total only grows (a counter), whatever retention later deletes.
/// </summary>
internal sealed class RecordingBytes : IEventSink
{
    private readonly ConcurrentDictionary<string, long> _active = new(StringComparer.Ordinal);
    private long _finished;

    public long Total => Interlocked.Read(ref _finished) + _active.Values.Sum();

    public void Publish(SensorEvent sensorEvent)
    {
        switch (sensorEvent)
        {
            case RecordingProgressed progress:
                _active.AddOrUpdate(progress.CameraId ?? "", progress.Bytes, (_, previous) => Math.Max(previous, progress.Bytes));
                break;
            case RecordingStopped stopped:
                _active.TryRemove(stopped.CameraId ?? "", out var lastProgress);
                Interlocked.Add(ref _finished, Math.Max(lastProgress, stopped.SizeBytes));
                break;
        }
    }
}
