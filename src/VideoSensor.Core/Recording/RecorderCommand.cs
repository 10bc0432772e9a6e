using System.Globalization;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Recording;

/// <summary>Where a recorder reads a camera from, and whether it arrives encoded.</summary>
/// <param name="Input">ffmpeg input arguments and, for an input with a credential, the text ffmpeg reads on its standard input (never log it).</param>
/// <param name="Encoded">True for H.264 (copied as is); false for raw sources that must be encoded.</param>
/// <param name="Audio">The audio stream to keep, or null for none.</param>
internal sealed record RecorderSource(InputArguments Input, bool Encoded, RecorderAudio? Audio = null);

/// <summary>What one recorder run should write.</summary>
/// <param name="SegmentPattern">Output pattern with a <c>%04d</c> segment number, ending in <c>.partial</c>.</param>
/// <param name="FirstSegment">Number of the first segment of this run (runs after a restart continue the count).</param>
/// <param name="Remaining">Media left to record when the recording has a duration; null records until stopped.</param>
/// <param name="LatestFramePath">Where to keep the latest key frame as JPEG; null for none.</param>
internal sealed record RecorderPlan(
    RecorderSource Source,
    RecordingFormat Format,
    int SegmentSeconds,
    int Fps,
    string SegmentPattern,
    int FirstSegment,
    TimeSpan? Remaining,
    string? LatestFramePath,
    bool WallclockTimestamps = false);

/// <summary>
/// Builds the recorder's ffmpeg command line: one input, segments on output 0 (stream copy for RTSP, H.264 for
/// raw sources; the audio track per <see cref="RecorderAudio"/>) and, optionally, the latest key frame on output 1. Completed segments are announced as CSV
/// lines on stdout (<c>-segment_list pipe:1</c>); segment openings appear in the verbose log.
/// </summary>
internal static class RecorderCommand
{
    public static IReadOnlyList<string> Build(RecorderPlan plan)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "verbose" };
        if (plan.Source.Encoded && plan.LatestFramePath is not null)
        {
            // Decode only key frames: the latest-frame output needs one picture a GOP, and copying needs none.
            // Stream probing then sees few decoded frames and would use all of its default 5 s; 1 s is plenty
            // to learn the codec, and cuts start_recording -> first bytes by about 4 s.
            args.AddRange(["-skip_frame", "nokey", "-analyzeduration", "1000000"]);
        }

        if (plan.Source.Encoded && plan.WallclockTimestamps)
        {
            args.AddRange(["-use_wallclock_as_timestamps", "1"]);
        }

        args.AddRange(plan.Source.Input.Arguments);
        args.AddRange(["-map", "0:v:0"]);
        if (plan.Source.Encoded)
        {
            args.AddRange(["-c:v", "copy"]);
        }
        else
        {
            // Browser-decodable H.264 with a one-second GOP, so segments cut (and a crash loses) at most a second.
            var gop = Math.Max(1, plan.Fps).ToString(CultureInfo.InvariantCulture);
            args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-bf", "0", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0"]);
        }

        args.AddRange(plan.Source.Audio?.Arguments(plan.Format) ?? ["-an"]);

        AddDuration(args, plan.Remaining);
        args.AddRange(["-f", "segment", "-segment_time", plan.SegmentSeconds.ToString(CultureInfo.InvariantCulture), "-segment_format", plan.Format.Muxer]);
        if (plan.Format.MuxerOptions is not null)
        {
            args.AddRange(["-segment_format_options", plan.Format.MuxerOptions]);
        }

        args.AddRange(["-reset_timestamps", "1", "-segment_list", "pipe:1", "-segment_list_type", "csv",
            "-segment_start_number", plan.FirstSegment.ToString(CultureInfo.InvariantCulture), plan.SegmentPattern]);

        if (plan.LatestFramePath is not null)
        {
            args.AddRange(["-map", "0:v:0", "-vf", "fps=1", "-c:v", "mjpeg", "-q:v", Snapshots.SnapshotService.LiveFrameJpegScale.ToString(CultureInfo.InvariantCulture)]);
            AddDuration(args, plan.Remaining);
            args.AddRange(["-update", "1", "-atomic_writing", "1", "-f", "image2", "-y", plan.LatestFramePath]);
        }

        return args;
    }

    private static void AddDuration(List<string> args, TimeSpan? remaining)
    {
        if (remaining is { } r)
        {
            args.AddRange(["-t", r.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        }
    }
}
