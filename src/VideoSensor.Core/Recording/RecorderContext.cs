using Microsoft.Extensions.Logging;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;
using VideoSensor.Events;
using VideoSensor.Security;

namespace VideoSensor.Recording;

/// <summary>The shared parts every recording session uses; one instance for the service.</summary>
internal sealed record RecorderContext(
    ReaderInput Input,
    SegmentFiles Segments,
    FfmpegRunner Ffmpeg,
    EventHub Events,
    SecretRedactor Redactor,
    RecordingOptions Options,
    string LatestFrameFolder,
    TimeProvider Time,
    ILogger Logger);
