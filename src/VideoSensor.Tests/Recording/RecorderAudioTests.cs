using VideoSensor.Cameras;
using VideoSensor.Recording;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Tests.Recording;

/// <summary>
/// Which audio a recorder keeps and how: copied when the container holds the codec, encoded to AAC otherwise, none
/// for a silent camera. (The byte-for-byte copy and the A/V sync are measured end to end in
/// <c>RtspFeedAudioTests</c> and <c>TestPatternAudioTests</c>.)
/// </summary>
public sealed class RecorderAudioTests
{
    private static Camera Rtsp(string? codec, bool transcode = false) => new("door", CameraKind.Rtsp, "Door", CameraStatus.Connected, new Resolution(640, 360), 15,
        new RtspSource(new Uri("rtsp://127.0.0.1:1/x"), null, null, "tcp", transcode), CameraCapabilities.Unknown,
        Audio: codec is null ? null : new AudioTrack(codec, 8000, 1));

    private static Camera Pattern(bool audio) => new("tone", CameraKind.TestPattern, "Tone", CameraStatus.Connected, new Resolution(320, 180), 15,
        new TestPatternSource("testsrc2", new Resolution(320, 180), 15, audio), CameraCapabilities.Unknown);

    private static IReadOnlyList<string> Build(RecorderAudio? audio, RecordingFormat format) => RecorderCommand.Build(new RecorderPlan(
        new RecorderSource(new InputArguments(["-i", "rtsp://x"]), Encoded: true, audio), format, 2, 15, "/tmp/x_%04d.mp4.partial", 0, null, null));

    [Fact]
    public void Feed_aac_is_copied_into_mp4()
    {
        var args = Build(RecorderAudio.For(Rtsp("aac"), viaMediaMtx: true), RecordingFormat.Fmp4);

        Assert.Equal(["-map", "0:a:0?", "-c:a", "copy"], Slice(args, "0:a:0?", 4));
    }

    [Fact]
    public void G711_is_encoded_to_aac_for_mp4_and_copied_into_matroska()
    {
        Assert.Equal(["-map", "0:a:0?", "-c:a", "aac", "-b:a", "96k"], Slice(Build(RecorderAudio.For(Rtsp("pcm_mulaw"), true), RecordingFormat.Fmp4), "0:a:0?", 6));
        Assert.Equal(["-map", "0:a:0?", "-c:a", "copy"], Slice(Build(RecorderAudio.For(Rtsp("pcm_mulaw"), true), RecordingFormat.Mkv), "0:a:0?", 4));
    }

    [Fact]
    public void Sources_and_the_audio_they_bring()
    {
        Assert.Equal(new RecorderAudio("0:a:0", "opus"), RecorderAudio.For(Pattern(audio: true), viaMediaMtx: true));
        Assert.Equal(new RecorderAudio("0:a:0", "pcm"), RecorderAudio.For(Pattern(audio: true), viaMediaMtx: false));
        Assert.Null(RecorderAudio.For(Pattern(audio: false), viaMediaMtx: true));
        Assert.Equal(new RecorderAudio("0:a:0?", "opus"), RecorderAudio.For(Rtsp("aac", transcode: true), viaMediaMtx: true));
        Assert.Equal(new RecorderAudio("0:a:0?", null), RecorderAudio.For(Rtsp(null), viaMediaMtx: true));
        // A silent camera records as before: no audio map.
        Assert.Contains("-an", Build(null, RecordingFormat.Fmp4));
    }

    private static List<string> Slice(IReadOnlyList<string> args, string map, int count)
    {
        var at = args.ToList().IndexOf(map) - 1;
        Assert.True(at >= 0, string.Join(' ', args));
        return [.. args.Skip(at).Take(count)];
    }
}
