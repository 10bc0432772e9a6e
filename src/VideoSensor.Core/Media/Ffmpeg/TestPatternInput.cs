using System.Globalization;
using VideoSensor.Cameras;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>
/// The lavfi input of a test-pattern camera. The burnt-in UTC clock is the frame's own timestamp plus the start time
/// (not the wall clock at filtering time), and the optional tone beeps on exactly the timestamps where that clock
/// turns to the next second: picture and sound are in sync by construction at the source, so any offset measured
/// downstream comes from the pipeline. The clock starts from <c>now</c>, so it must be built anew for every run.
/// </summary>
internal static class TestPatternInput
{
    /// <summary>Tone frequency; the beep is 4× this for 1/25 s on each second (ffmpeg's <c>sine</c> filter).</summary>
    public const int ToneHz = 440;

    public const int SampleRate = 48000;

    public static IReadOnlyList<string> Arguments(TestPatternSource t, DateTimeOffset now)
    {
        var epoch = now.ToUnixTimeMilliseconds() / 1000.0;
        var video = string.Create(CultureInfo.InvariantCulture,
            $"{t.Pattern}=size={t.Resolution}:rate={t.Fps},drawtext=text='%{{pts\\:gmtime\\:{epoch:0.000}}} UTC':x=16:y=16:fontsize={FontSize(t.Resolution)}:fontcolor=white:box=1:boxcolor=black@0.6");
        if (!t.Audio)
        {
            return ["-re", "-f", "lavfi", "-i", video];
        }

        // sine beeps at its own whole seconds; shifting it earlier by the start time's fraction puts each beep where
        // pts + epoch is a whole second, i.e. on the frame whose clock has just changed. atrim drops the shifted-out start.
        var fraction = epoch - Math.Floor(epoch);
        var audio = string.Create(CultureInfo.InvariantCulture,
            $"sine=frequency={ToneHz}:beep_factor=4:sample_rate={SampleRate},asetpts=PTS-{fraction:0.000}/TB,atrim=start=0");
        return ["-re", "-f", "lavfi", "-i", $"{video}[out0];{audio}[out1]"];
    }

    /// <summary>The clock's font size: readable at any size, used by tests to find the clock.</summary>
    public static int FontSize(Resolution resolution) => Math.Max(12, resolution.Height / 20);
}
