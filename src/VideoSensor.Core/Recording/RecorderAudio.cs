using VideoSensor.Cameras;
using VideoSensor.Media.Ingest;

namespace VideoSensor.Recording;

/// <summary>
/// The audio a recorder keeps: which input stream (<paramref name="Map"/>, optional with <c>?</c> when the source may
/// have none) and the codec it arrives in (null when not known yet). Audio that the container can hold is copied
/// untouched (an RTSP feed's AAC, the ingest's Opus); anything else (raw PCM from a direct read, G.711 into MP4, an
/// unmeasured codec) is encoded to AAC, so a codec the muxer refuses can never cost the video.
/// </summary>
internal sealed record RecorderAudio(string Map, string? Codec)
{
    private static readonly HashSet<string> Mp4Copyable = new(StringComparer.Ordinal) { "aac", "opus", "mp3", "ac3", "eac3", "flac", "alac" };

    /// <summary>ffmpeg output arguments for the recording's audio stream.</summary>
    public IReadOnlyList<string> Arguments(RecordingFormat format) =>
        Codec is not null && Codec != "pcm" && (format == RecordingFormat.Mkv || Mp4Copyable.Contains(Codec))
            ? ["-map", Map, "-c:a", "copy"]
            : ["-map", Map, "-c:a", "aac", "-b:a", "96k"];

    /// <summary>What a recorder of <paramref name="camera"/> gets from its input, or null when the camera has no sound.</summary>
    public static RecorderAudio? For(Camera camera, bool viaMediaMtx) => camera.Source switch
    {
        // MediaMTX passes a pulled feed's tracks through; the service's own ingests publish Opus.
        RtspSource { OpusForWebRtc: false } => new("0:a:0?", camera.Audio?.Codec),
        RtspSource when viaMediaMtx => new("0:a:0?", "opus"),
        RtspSource => new("0:a:0?", camera.Audio?.Codec),
        _ when !IngestStreams.HasAudio(camera.Source) => null,
        _ when viaMediaMtx => new("0:a:0", "opus"),
        UsbSource => new("1:a:0", "pcm"),
        _ => new("0:a:0", "pcm"),
    };
}
