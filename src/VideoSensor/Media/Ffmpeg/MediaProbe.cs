using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using VideoSensor.Security;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>What ffprobe says about a stream or file.</summary>
internal sealed record ProbeResult(string? Codec, int Width, int Height, double Fps, double? DurationSeconds, string? FormatName);

/// <summary>Runs ffprobe on a URL or file and reads its JSON answer.</summary>
internal sealed class MediaProbe(FfmpegRunner ffmpeg, SecretRedactor redactor)
{
    public async Task<ProbeResult> ProbeAsync(IReadOnlyList<string> inputArguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(ffmpeg.FfprobePath)
                .WithArguments(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,avg_frame_rate,r_frame_rate:format=duration,format_name", "-of", "json", .. inputArguments])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeoutSource.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProbeException($"ffprobe timed out after {timeout.TotalSeconds:0} s");
        }

        if (result.ExitCode != 0)
        {
            var line = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {result.ExitCode}";
            throw new ProbeException(redactor.Redact(line));
        }

        return Parse(result.StandardOutput);
    }

    internal static ProbeResult Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        string? codec = null;
        int width = 0, height = 0;
        double fps = 0;
        if (doc.RootElement.TryGetProperty("streams", out var streams) && streams.GetArrayLength() > 0)
        {
            var s = streams[0];
            codec = s.TryGetProperty("codec_name", out var c) ? c.GetString() : null;
            width = s.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
            height = s.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
            fps = Rate(s, "avg_frame_rate") is var a and > 0 ? a : Rate(s, "r_frame_rate");
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

        return new ProbeResult(codec, width, height, fps, duration, formatName);
    }

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

/// <summary>ffprobe could not read the input; the message is redacted.</summary>
internal sealed class ProbeException(string message) : Exception(message);
