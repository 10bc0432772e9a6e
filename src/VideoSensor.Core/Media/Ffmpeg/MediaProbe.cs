using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using VideoSensor.Security;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>What ffprobe says about a stream or file: its first video stream, its first audio stream (if any) and the container.</summary>
internal sealed record ProbeResult(string? Codec, int Width, int Height, double Fps, double? DurationSeconds, string? FormatName, Cameras.AudioTrack? Audio = null);

/// <summary>Runs ffprobe on a URL or file and reads its JSON answer.</summary>
internal sealed class MediaProbe(FfmpegRunner ffmpeg, SecretRedactor redactor)
{
    private static readonly Lazy<string?> Nice = new(() => FfmpegLocator.Find("nice"));

    public Task<ProbeResult> ProbeAsync(IReadOnlyList<string> inputArguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        ProbeAsync(new InputArguments(inputArguments), timeout, cancellationToken);

    /// <summary>
    /// Probes <paramref name="input"/>. <paramref name="lowPriority"/> runs ffprobe under <c>nice</c> (when installed):
    /// background work such as warming the probe cache then yields the CPU to the service and its live requests.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(InputArguments input, TimeSpan timeout, CancellationToken cancellationToken, bool lowPriority = false)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        BufferedCommandResult result;
        string[] probeArguments = ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,sample_rate,channels:format=duration,format_name", "-of", "json", .. input.Arguments];
        var (program, arguments) = lowPriority && Nice.Value is { } nice
            ? ChildProcesses.Wrap(nice, ["-n", "10", ffmpeg.FfprobePath, .. probeArguments])
            : ChildProcesses.Wrap(ffmpeg.FfprobePath, probeArguments);
        try
        {
            // On timeout CliWrap kills the whole process tree, so a hung ffprobe (or a wrapper script's
            // children holding its pipes) cannot keep this call waiting past the timeout.
            var command = Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
                .WithStandardInputPipe(input.StandardInput is null ? PipeSource.Null : PipeSource.FromString(input.StandardInput));
            result = await ChildProcesses.Start(() => command.ExecuteBufferedAsync(timeoutSource.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProbeException($"ffprobe timed out after {timeout.TotalSeconds:0} s", ProbeFailure.TimedOut);
        }

        if (result.ExitCode != 0)
        {
            var line = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {result.ExitCode}";
            throw new ProbeException(redactor.Redact(line), SaysNoMedia(result.ExitCode, line) ? ProbeFailure.NoMedia : ProbeFailure.Unreadable);
        }

        return Parse(result.StandardOutput);
    }

    /// <summary>
    /// True only when ffprobe ran to its end and said the data holds no media it can read (a file without a
    /// media box, or an empty one). A crash, a signal or an I/O error proves nothing about the file.
    /// </summary>
    private static bool SaysNoMedia(int exitCode, string line) =>
        exitCode == 1
        && (line.Contains("Invalid data found when processing input", StringComparison.Ordinal)
            || line.Contains("moov atom not found", StringComparison.Ordinal)
            || line.Contains("End of file", StringComparison.Ordinal));

    internal static ProbeResult Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        string? codec = null;
        int width = 0, height = 0;
        double fps = 0;
        Cameras.AudioTrack? audio = null;
        var streams = doc.RootElement.TryGetProperty("streams", out var list) ? list.EnumerateArray().ToList() : [];
        // A stream without codec_type is an older answer of the video-only query: take it as the video.
        if (streams.FirstOrDefault(s => Type(s) is "video" or null) is { ValueKind: JsonValueKind.Object } s)
        {
            codec = s.TryGetProperty("codec_name", out var c) ? c.GetString() : null;
            width = s.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
            height = s.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
            fps = Rate(s, "avg_frame_rate") is var a and > 0 ? a : Rate(s, "r_frame_rate");
        }

        if (streams.FirstOrDefault(s => Type(s) == "audio") is { ValueKind: JsonValueKind.Object } sound)
        {
            audio = new Cameras.AudioTrack(
                sound.TryGetProperty("codec_name", out var ac) ? ac.GetString() ?? "unknown" : "unknown",
                sound.TryGetProperty("sample_rate", out var rate) && int.TryParse(rate.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var hz) ? hz : 0,
                sound.TryGetProperty("channels", out var ch) && ch.ValueKind == JsonValueKind.Number ? ch.GetInt32() : 0);
        }

        double? duration = null;
        string? formatName = null;
        if (doc.RootElement.TryGetProperty("format", out var format))
        {
            if (format.TryGetProperty("duration", out var d) && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                duration = seconds;
            }

            formatName = format.TryGetProperty("format_name", out var f) ? f.GetString() : null;
        }

        return new ProbeResult(codec, width, height, fps, duration, formatName, audio);
    }

    private static string? Type(JsonElement stream) => stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;

    private static double Rate(JsonElement stream, string name)
    {
        if (!stream.TryGetProperty(name, out var value) || value.GetString() is not { } text)
        {
            return 0;
        }

        var parts = text.Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d > 0 ? n / d : 0;
    }
}

/// <summary>Why a probe gave no answer: only <see cref="NoMedia"/> says something about the input itself.</summary>
internal enum ProbeFailure
{
    /// <summary>ffprobe ran to its end and found no readable media.</summary>
    NoMedia,

    /// <summary>ffprobe failed for another reason (I/O, network, a crash): the input is unknown.</summary>
    Unreadable,

    /// <summary>ffprobe did not answer in time and was killed: the input is unknown.</summary>
    TimedOut,
}

/// <summary>ffprobe could not read the input; the message is redacted.</summary>
internal sealed class ProbeException(string message, ProbeFailure failure = ProbeFailure.Unreadable) : Exception(message)
{
    public ProbeFailure Failure { get; } = failure;
}
