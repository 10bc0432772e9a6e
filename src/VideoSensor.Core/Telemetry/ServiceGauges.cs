using System.Diagnostics.Metrics;
using VideoSensor.Cameras;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Recording;
using VideoSensor.Storage;

namespace VideoSensor.Telemetry;

/// <summary>
/// What the service is doing, read when Prometheus scrapes: per-camera state and rate, recordings,
/// storage, MediaMTX and its streams. Observed from the parts that already know (the camera registry,
/// the recording manager, statvfs, the MediaMTX supervisor and API), never kept as a second copy.
/// </summary>
internal sealed class ServiceGauges
{
    private static readonly CameraStatus[] Statuses = Enum.GetValues<CameraStatus>();
    public ServiceGauges(
        IMeterFactory meterFactory,
        CameraRegistry cameras,
        RecordingManager recordings,
        RecordingBytes recordingBytes,
        StorageSpace storage,
        MediaMtxState mediamtx,
        MediaPathSnapshot paths,
        ProbeCacheWarmup warmup)
    {
        // The factory hands out (and disposes) one meter per name, shared with SensorMetrics.
        var meter = meterFactory.Create(SensorMetrics.MeterName);

        meter.CreateObservableGauge("videosensor.camera.up", () => cameras.List().Select(c =>
            new Measurement<int>(c.Status == CameraStatus.Connected ? 1 : 0, Tag("camera", c.Id), Tag("kind", c.Kind.ToString().ToLowerInvariant()))),
            description: "1 while the camera is CONNECTED");
        meter.CreateObservableGauge("videosensor.camera.status", () => cameras.List().SelectMany(c => Statuses.Select(s =>
            new Measurement<int>(c.Status == s ? 1 : 0, Tag("camera", c.Id), Tag("status", s.ToWire())))),
            description: "1 for the camera's current status (CONNECTED, DISCONNECTED, ERROR), 0 for the others");
        meter.CreateObservableGauge("videosensor.camera.frame_rate", () => cameras.List().Where(c => c.Fps > 0).Select(c =>
            new Measurement<int>(c.Fps, Tag("camera", c.Id))),
            description: "Frames per second the camera delivers (probed for RTSP feeds, configured for test patterns)");

        meter.CreateObservableGauge("videosensor.recording.active", () => cameras.List().Select(c =>
            new Measurement<int>(recordings.TryGet(c.Id, out _) ? 1 : 0, Tag("camera", c.Id))),
            description: "1 while the camera is being recorded");
        meter.CreateObservableCounter("videosensor.recording.written", () => recordingBytes.Total, unit: "By",
            description: "Bytes written by recordings since the service started, as the recorder measured them");

        meter.CreateObservableGauge("videosensor.recording.catalog_warmup_remaining", () => warmup.Remaining,
            description: "Stored recordings the start-up warm-up of the probe cache has still to describe (0 once done)");

        meter.CreateObservableGauge("videosensor.storage.used", () => storage.Read().UsedBytes, unit: "By",
            description: "Used bytes of the file system holding storage.root");
        meter.CreateObservableGauge("videosensor.storage.free", () => storage.Read().AvailableBytes, unit: "By",
            description: "Bytes available to the service on the file system holding storage.root");
        meter.CreateObservableGauge("videosensor.storage.capacity", () => storage.Read().TotalBytes, unit: "By",
            description: "Size of the file system holding storage.root");

        meter.CreateObservableGauge("videosensor.mediamtx.up", () => mediamtx.IsRunning ? 1 : 0,
            description: "1 while MediaMTX is running and answering its API");
        meter.CreateObservableCounter("videosensor.mediamtx.restarts", () => (long)mediamtx.Status.Restarts,
            description: "Times MediaMTX was restarted since the service started");

        meter.CreateObservableGauge("videosensor.stream.readers", () => paths.Paths.Select(p =>
            new Measurement<int>(p.Readers.Count, Tag("path", p.Name))),
            description: "Readers (RTSP, WebRTC, HLS, recorders) of each MediaMTX path");
        meter.CreateObservableGauge("videosensor.stream.ready", () => paths.Paths.Select(p =>
            new Measurement<int>(p.IsReady ? 1 : 0, Tag("path", p.Name))),
            description: "1 while the MediaMTX path has a source delivering media");
        meter.CreateObservableCounter("videosensor.stream.received", () => paths.Paths.Select(p =>
            new Measurement<long>(Math.Max(p.InboundBytes, p.BytesReceived), Tag("path", p.Name))), unit: "By",
            description: "Bytes MediaMTX received from the path's source (rate × 8 is the camera's bitrate)");
        meter.CreateObservableCounter("videosensor.stream.sent", () => paths.Paths.Select(p =>
            new Measurement<long>(p.BytesOut, Tag("path", p.Name))), unit: "By",
            description: "Bytes MediaMTX sent to the path's readers");
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
