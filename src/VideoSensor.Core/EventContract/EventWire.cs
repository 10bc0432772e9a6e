using System.Globalization;
using System.Text.Json;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Events;
using VideoSensor.Recording;
using VideoSensor.Snapshots;
using VideoSensor.Storage;

namespace VideoSensor.EventContract;

/// <summary>An event as the transports send it: its topic, the camera, the time, and the payload as JSON.</summary>
/// <param name="Data">The topic notification's <c>params</c> and the CloudEvent's <c>data</c> (one JSON object).</param>
internal sealed record WireEvent(string Topic, string? Device, DateTimeOffset Time, JsonElement Data);

/// <summary>
/// The one mapping from the core's event records to the API contract's topics and fields. The JSON-RPC notifications
/// and the Dapr CloudEvents both send what this returns, so the two never differ; the core's features never see it.
/// </summary>
internal static class EventWire
{
    /// <summary>The event on the wire, or null for an event that is not in the contract.</summary>
    public static WireEvent? ToWire(SensorEvent e)
    {
        if (Map(e) is not ({ } topic, { } data))
        {
            return null;
        }

        data = data with { Device = e.CameraId, Timestamp = Timestamp(e.Time) };
        return new WireEvent(topic, e.CameraId, e.Time, JsonSerializer.SerializeToElement(data, data.GetType(), EventContractJson.Default));
    }

    /// <summary>How the contract writes a point in time: RFC 3339 in UTC with seven fraction digits.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static (string Topic, EventData Data)? Map(SensorEvent e) => e switch
    {
        CameraConnected c => (EventTopics.CameraConnected, Camera(c)),
        CameraDisconnected c => (EventTopics.CameraDisconnected, Camera(c)),
        CameraStatusChanged c => (EventTopics.CameraStatusChange, Camera(c)),
        CameraControlChanged c => (EventTopics.CameraStatusChange, ControlChanged(c)),
        CameraControlsRestored c => (EventTopics.CameraStatusChange, ControlsRestored(c)),
        RecordingStarted r => (EventTopics.RecordingStart, new RecordingStartData(
            "RECORDING", r.FileName, r.Format, Timestamp(r.StartTime), 0.0, r.MaxDuration?.TotalSeconds, (int)r.SegmentLength.TotalSeconds)),
        RecordingProgressed r => (EventTopics.RecordingProgress, new RecordingProgressData(
            "RECORDING", r.FileName, Seconds(r.Duration), r.Bytes, r.Segments, r.Restarts)),
        RecorderFailed r => (EventTopics.RecordingError, new RecordingErrorData(
            r.Restarting ? "RECONNECTING" : "STOPPING", r.FileName, Seconds(r.Duration), r.Error, r.Reason, r.Restarting, r.Restarts)),
        RecordingRecovered r => (EventTopics.RecordingError, new RecordingRecoveredData(
            "RECORDING", r.FileName, Seconds(r.Duration), "recorder restarted into a new segment", true, Seconds(r.Gap), r.Restarts)),
        RecordingStopped r => (EventTopics.RecordingStop, new RecordingStopData(
            "STOPPED", r.FileName, Seconds(r.Duration), r.SizeBytes, r.Reason, r.Files.Count, r.Files, r.Restarts, Seconds(r.Gaps))),
        SnapshotTaken s => (EventTopics.SnapshotTaken, new SnapshotTakenData(s.FileName, s.SizeBytes, $"{s.Width}x{s.Height}")),
        SnapshotFailed s => (EventTopics.SnapshotError, new SnapshotErrorData(s.Error)),
        StorageLow s => (EventTopics.StorageLowSpace, new StorageLowSpaceData(
            s.RecordingBlocked ? "critical" : "warning",
            s.AvailableBytes,
            s.TotalBytes,
            Math.Round(s.UsedPercent, 2),
            Math.Round(s.FreePercent, 2),
            s.LowSpacePercent,
            s.BlockSpacePercent,
            s.RecordingBlocked)),
        ServiceStarted s => (EventTopics.SystemStartup, new SystemStartupData(s.Version)),
        ServiceStopping s => (EventTopics.SystemShutdown, new SystemShutdownData(s.Reason)),
        _ => null,
    };

    private static CameraData Camera(CameraChanged c)
    {
        var view = CameraView.From(c.Camera, c.Streams);
        return new CameraData(view.Status, view.Name, view.Resolution, view.Fps, view.Streams, view.Kind, view.Reason)
        {
            PreviousStatus = c.PreviousStatus?.ToWire(),
        };
    }

    private static ControlChangedData ControlChanged(CameraControlChanged c)
    {
        var view = CameraView.From(c.Camera, c.Streams);
        return new ControlChangedData(view.Status, view.Name, view.Resolution, view.Fps, view.Streams, view.Kind, "control_changed", c.Control, c.ControlId, c.Value, c.Previous);
    }

    private static ControlsRestoredData ControlsRestored(CameraControlsRestored c)
    {
        var view = CameraView.From(c.Camera, c.Streams);
        return new ControlsRestoredData(view.Status, view.Name, view.Resolution, view.Fps, view.Streams, view.Kind, "controls_restored", c.Restored, c.Failed);
    }

    /// <summary>Durations are seconds, to the millisecond.</summary>
    private static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 3);
}
