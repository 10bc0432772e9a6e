using System.Globalization;
using CliWrap;
using Tmds.Linux;
using VideoSensor.Security;

namespace VideoSensor.Recording;

/// <summary>How one recorder run ended. <paramref name="Reason"/> is redacted and safe to show.</summary>
internal sealed record RecorderExit(int ExitCode, bool Requested, string Reason, DateTimeOffset At);

/// <summary>A segment ffmpeg announced as finished, with its media start and end (seconds into the run).</summary>
internal sealed record SegmentClosed(string PartialName, double Start, double End);

/// <summary>
/// One recorder ffmpeg process. Reports segment openings (from its log) and closings (from the CSV segment list
/// on stdout) as they happen, and stops gracefully: SIGINT first, so ffmpeg finishes the fragment it writes.
/// </summary>
internal sealed class RecorderProcess : IAsyncDisposable
{
    private const int TailLines = 12;
    private readonly Queue<string> _tail = new(TailLines);
    private readonly CancellationTokenSource _kill = new();
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _time;
    private readonly Task<RecorderExit> _completion;
    private volatile bool _stopRequested;

    private RecorderProcess(string ffmpeg, IReadOnlyList<string> arguments, string? standardInput, SecretRedactor redactor, TimeProvider time, Action<string> opened, Action<SegmentClosed> closed)
    {
        _redactor = redactor;
        _time = time;
        // SIGINT on the service's death: ffmpeg then finishes the fragment it writes and exits; a restart
        // reaps whatever still runs (RecorderReaper).
        var (program, wrapped) = Media.Ffmpeg.ChildProcesses.Wrap(ffmpeg, arguments, "INT");
        var command = Cli.Wrap(program)
            .WithArguments(wrapped)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line =>
            {
                if (ParseClosed(line) is { } segment)
                {
                    closed(segment);
                }
            }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                if (ParseOpened(line) is { } name)
                {
                    opened(name);
                }
                else
                {
                    Remember(line);
                }
            }));
        var task = Media.Ffmpeg.ChildProcesses.Start(() => command.ExecuteAsync(_kill.Token));
        ProcessId = task.ProcessId;
        _completion = WaitAsync(task);
    }

    public int ProcessId { get; }

    /// <summary>Completes when the process has exited, however that happened.</summary>
    public Task<RecorderExit> Completion => _completion;

    public static RecorderProcess Start(string ffmpeg, IReadOnlyList<string> arguments, string? standardInput, SecretRedactor redactor, TimeProvider time, Action<string> opened, Action<SegmentClosed> closed) =>
        new(ffmpeg, arguments, standardInput, redactor, time, opened, closed);

    /// <summary>Asks ffmpeg to finish (SIGINT) and waits; kills it when it does not finish in time.</summary>
    public async Task<RecorderExit> StopAsync(TimeSpan timeout)
    {
        _stopRequested = true;
        if (!_completion.IsCompleted)
        {
            _ = LibC.kill(ProcessId, LibC.SIGINT);
            try
            {
                await _completion.WaitAsync(timeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await _kill.CancelAsync().ConfigureAwait(false);
            }
        }

        return await _completion.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completion.IsCompleted)
        {
            await _kill.CancelAsync().ConfigureAwait(false);
        }

        await _completion.ConfigureAwait(false);
        _kill.Dispose();
    }

    internal static string? ParseOpened(string line)
    {
        // "[segment @ 0x…] Opening '/…/cam_…_0001.mp4.partial' for writing"
        const string Start = "Opening '";
        var from = line.IndexOf(Start, StringComparison.Ordinal);
        var to = line.LastIndexOf("' for writing", StringComparison.Ordinal);
        if (from < 0 || to <= from || !line.Contains("[segment", StringComparison.Ordinal))
        {
            return null;
        }

        var name = Path.GetFileName(line[(from + Start.Length)..to]);
        return name.EndsWith(Storage.FileStore.PartialSuffix, StringComparison.Ordinal) ? name : null;
    }

    internal static SegmentClosed? ParseClosed(string line)
    {
        var parts = line.Trim().Split(',');
        return parts.Length == 3
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
            && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
            ? new SegmentClosed(Path.GetFileName(parts[0].Trim('"')), start, end)
            : null;
    }

    private async Task<RecorderExit> WaitAsync(CommandTask<CommandResult> task)
    {
        try
        {
            var result = await task.ConfigureAwait(false);
            var reason = result.ExitCode == 0 ? "ffmpeg ended the recording" : $"ffmpeg exited with code {result.ExitCode}: {LastLine()}";
            if (result.ExitCode is 137 or 143 or -1 || result.ExitCode < 0)
            {
                reason = $"ffmpeg was killed (exit {result.ExitCode})";
            }

            return new RecorderExit(result.ExitCode, _stopRequested, reason, _time.GetUtcNow());
        }
        catch (OperationCanceledException)
        {
            return new RecorderExit(-1, _stopRequested, "ffmpeg did not stop in time and was killed", _time.GetUtcNow());
        }
    }

    private void Remember(string line)
    {
        if (line.Contains("Invalid DTS", StringComparison.Ordinal) || line.Length == 0)
        {
            return;
        }

        lock (_tail)
        {
            if (_tail.Count == TailLines)
            {
                _tail.Dequeue();
            }

            _tail.Enqueue(_redactor.Redact(line));
        }
    }

    private string LastLine()
    {
        lock (_tail)
        {
            return _tail.LastOrDefault() ?? "no output";
        }
    }
}
