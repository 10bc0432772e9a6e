using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VideoSensor.Tests.Fixtures;

/// <summary>Beep onsets found in a file's audio, and the span of audio decoded (seconds, the file's timeline).</summary>
public sealed record BeepScan(IReadOnlyList<double> Onsets, double AudioStart, double AudioEnd);

/// <summary>One stream as ffprobe lists it.</summary>
public sealed record ProbedTrack(string Type, string Codec, int SampleRate, int Channels);

/// <summary>
/// Independent checks of audio with real ffmpeg: which tracks a file or stream carries, the hash of every compressed
/// audio packet (to prove a track was copied, not re-encoded), and the A/V sync of a test-pattern recording: where
/// the decoded tone beeps and where the decoded picture's burnt-in clock turns to the next second.
/// </summary>
public static class AudioCheck
{
    /// <summary>Every stream of <paramref name="probed"/>, in order.</summary>
    public static IReadOnlyList<ProbedTrack> Tracks(ProbedMedia probed) =>
        [.. probed.Raw.GetProperty("streams").EnumerateArray().Select(s => new ProbedTrack(
            s.GetProperty("codec_type").GetString() ?? "",
            s.TryGetProperty("codec_name", out var c) ? c.GetString() ?? "" : "",
            s.TryGetProperty("sample_rate", out var r) && int.TryParse(r.GetString(), CultureInfo.InvariantCulture, out var hz) ? hz : 0,
            s.TryGetProperty("channels", out var ch) && ch.ValueKind == JsonValueKind.Number ? ch.GetInt32() : 0))];

    /// <summary>
    /// Where the first audio track starts and its largest hole (seconds), from a probe made with <c>-show_packets</c>:
    /// a player's decoder that ignores timestamps (Web Audio's <c>decodeAudioData</c>) puts sample n at n / rate only
    /// when the track starts at 0 and has no holes. MP4 Opus packets come without a duration here, so a hole is a step
    /// between packets longer than the usual (median) step; the packets of a copied track all have one size.
    /// </summary>
    public static (double Start, double LargestGap) AudioTimeline(ProbedMedia probed)
    {
        var audio = probed.Raw.GetProperty("streams").EnumerateArray().First(s => s.GetProperty("codec_type").GetString() == "audio").GetProperty("index").GetInt32();
        var pts = probed.Raw.GetProperty("packets").EnumerateArray().Where(p => p.GetProperty("stream_index").GetInt32() == audio)
            .Select(p => double.Parse(p.GetProperty("pts_time").GetString()!, CultureInfo.InvariantCulture)).ToList();
        var steps = pts.Zip(pts.Skip(1), (a, b) => b - a).ToList();
        var usual = steps.Count > 0 ? steps.Order().ElementAt(steps.Count / 2) : 0;
        return (pts.Count > 0 ? pts[0] : double.NaN, steps.Select(s => s - usual).DefaultIfEmpty(0).Max());
    }

    /// <summary>
    /// MD5 of each compressed audio packet of the first audio stream, in order (<c>-c copy -f framemd5</c>): equal hashes
    /// mean equal bytes. <paramref name="limit"/> reads that much of a live input (<c>-t</c> seconds).
    /// </summary>
    public static Task<IReadOnlyList<string>> PacketHashesAsync(string input, CancellationToken ct, IReadOnlyList<string>? inputOptions = null, double? seconds = null) =>
        HashesAsync("0:a:0", input, ct, inputOptions, seconds);

    /// <summary>
    /// MD5 of each decoded picture of the first video stream: a copied video decodes to the source's very pictures
    /// (its packets may be reframed between MP4 and RTP), a re-encoded one cannot.
    /// </summary>
    public static Task<IReadOnlyList<string>> DecodedVideoHashesAsync(string input, CancellationToken ct, IReadOnlyList<string>? inputOptions = null, double? seconds = null) =>
        HashesAsync("0:v:0", input, ct, inputOptions, seconds, copy: false);

    private static async Task<IReadOnlyList<string>> HashesAsync(string map, string input, CancellationToken ct, IReadOnlyList<string>? inputOptions, double? seconds, bool copy = true)
    {
        string[] limit = seconds is { } s ? ["-t", s.ToString("0.###", CultureInfo.InvariantCulture)] : [];
        var output = await RunAsync([.. inputOptions ?? [], "-i", input, "-map", map, .. (copy ? (string[])["-c", "copy"] : []), .. limit, "-f", "framemd5", "-"], ct, TimeSpan.FromSeconds((seconds ?? 0) + 60));
        return [.. output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(',')[^1].Trim())];
    }

    /// <summary>
    /// Timestamps (seconds, the file's own timeline) where the decoded audio jumps from the tone to the beep: peak level
    /// over 5 ms windows crossing −13 dBFS upwards (the tone peaks near −18 dBFS, the beep near −8.5).
    /// </summary>
    public static async Task<BeepScan> BeepOnsetsAsync(string file, CancellationToken ct)
    {
        using var dir = new TempDirectory();
        var levels = dir.Combine("levels.txt");
        await RunAsync(["-i", file, "-map", "0:a:0", "-af", $"asetnsamples=n=240:p=0,astats=metadata=1:reset=1,ametadata=mode=print:key=lavfi.astats.Overall.Peak_level:file={levels}", "-f", "null", "-"], ct, TimeSpan.FromSeconds(60));
        var onsets = new List<double>();
        double? time = null;
        double? first = null;
        var previous = double.NegativeInfinity;
        foreach (var line in await File.ReadAllLinesAsync(levels, ct))
        {
            if (line.StartsWith("frame:", StringComparison.Ordinal))
            {
                time = double.Parse(line[(line.IndexOf("pts_time:", StringComparison.Ordinal) + 9)..].Trim(), CultureInfo.InvariantCulture);
                first ??= time;
            }
            else if (line.Contains("Peak_level=", StringComparison.Ordinal) && time is { } t)
            {
                var level = double.Parse(line[(line.IndexOf('=') + 1)..], CultureInfo.InvariantCulture);
                if (level > -13 && previous <= -13)
                {
                    onsets.Add(t);
                }

                previous = level;
            }
        }

        return new BeepScan(onsets, first ?? 0, time ?? 0);
    }

    /// <summary>
    /// Timestamps of the decoded video frames on which the burnt-in clock shows a new second. The clock's strip (top
    /// left, <paramref name="fontSize"/> high from y = 16) is thresholded to its white text, so only the text counts; a
    /// frame whose text differs from the previous one in more than 12 pixels is a change (coding noise flips up to ~5; a digit, 25 or more).
    /// Pictures are written exactly as decoded (<c>-fps_mode passthrough</c>): raw video output is otherwise constant-rate,
    /// and a first picture held until the next (a recording's first key frame stretched over the time before it)
    /// would be written several times, pairing every later picture with an earlier picture's timestamp.
    /// </summary>
    public static async Task<IReadOnlyList<double>> ClockChangesAsync(string file, int width, int fontSize, CancellationToken ct)
    {
        var (w, h) = (width / 2, fontSize);
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in (string[])["-nostdin", "-v", "info", "-i", file, "-map", "0:v:0", "-fps_mode", "passthrough", "-vf", $"crop={w}:{h}:0:16,format=gray,lut=c0='if(gt(val,200),255,0)',showinfo", "-f", "rawvideo", "-"])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync(ct);
        using var pixels = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(pixels, ct);
        await process.WaitForExitAsync(ct);
        var times = (await errors).Split('\n').Where(l => l.Contains("Parsed_showinfo", StringComparison.Ordinal) && l.Contains(" pts_time:", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.IndexOf(" pts_time:", StringComparison.Ordinal) + 10)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture)).ToList();
        var frame = w * h;
        var data = pixels.ToArray();
        if (data.Length != times.Count * frame)
        {
            throw new InvalidOperationException($"{data.Length / frame} pictures written for {times.Count} timestamps: pictures and timestamps would not pair up");
        }

        var changes = new List<double>();
        for (var i = 1; i < times.Count && (i + 1) * frame <= data.Length; i++)
        {
            var differing = 0;
            for (var p = 0; p < frame; p++)
            {
                differing += data[(i * frame) + p] != data[((i - 1) * frame) + p] ? 1 : 0;
            }

            if (differing > 12)
            {
                changes.Add(times[i]);
            }
        }

        return changes;
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken ct, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in (string[])["-nostdin", "-v", "error", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {await error}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }
}
