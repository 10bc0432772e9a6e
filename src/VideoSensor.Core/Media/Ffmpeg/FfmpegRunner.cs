using System.Diagnostics;
using CliWrap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Security;

namespace VideoSensor.Media.Ffmpeg;

/// <summary>
/// Runs one bounded ffmpeg job (snapshot, probe) as a child process, keeping the tail of its stderr
/// with secrets masked, and killing it on timeout or cancellation.
/// </summary>
internal sealed partial class FfmpegRunner(IOptions<MediaOptions> options, SecretRedactor redactor, ILogger<FfmpegRunner> logger)
{
    private const int TailLines = 12;

    public string FfmpegPath => FfmpegLocator.Find(options.Value.FfmpegPath)
        ?? throw new MissingToolException(options.Value.FfmpegPath);

    public string FfprobePath => FfmpegLocator.Find(options.Value.FfprobePath)
        ?? throw new MissingToolException(options.Value.FfprobePath);

    /// <summary>
    /// Runs ffmpeg with <paramref name="arguments"/>; what it writes to <c>pipe:1</c> goes to <paramref name="standardOutput"/>,
    /// and <paramref name="standardInput"/> (an input that carries a credential, see <see cref="InputArguments"/>) is what it reads on <c>pipe:0</c>.
    /// </summary>
    public async Task<FfmpegResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken, Stream? standardOutput = null, string? standardInput = null)
    {
        var tail = new Queue<string>(TailLines);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        var (program, wrapped) = ChildProcesses.Wrap(FfmpegPath, ["-hide_banner", "-nostdin", "-loglevel", "error", .. arguments]);
        var command = Cli.Wrap(program)
            .WithArguments(wrapped)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
            .WithStandardOutputPipe(standardOutput is null ? PipeTarget.Null : PipeTarget.ToStream(standardOutput))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                lock (tail)
                {
                    if (tail.Count == TailLines)
                    {
                        tail.Dequeue();
                    }

                    tail.Enqueue(redactor.Redact(line));
                }
            }));
        try
        {
            // Graceful cancellation sends SIGINT first so ffmpeg can finish the file it writes.
            var result = await ChildProcesses.Start(() => command.ExecuteAsync(timeoutSource.Token)).ConfigureAwait(false);
            return new FfmpegResult(result.ExitCode, Stopwatch.GetElapsedTime(started), Snapshot(tail), TimedOut: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(logger, timeout.TotalSeconds);
            return new FfmpegResult(-1, Stopwatch.GetElapsedTime(started), Snapshot(tail), TimedOut: true);
        }
    }

    private static string[] Snapshot(Queue<string> tail)
    {
        lock (tail)
        {
            return [.. tail];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg job timed out after {Seconds} s and was killed")]
    private static partial void LogTimedOut(ILogger logger, double seconds);
}
