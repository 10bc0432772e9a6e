using CliWrap;
using Microsoft.Extensions.Logging;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Security;

namespace VideoSensor.Media.Ingest;

/// <summary>
/// One supervised ffmpeg that encodes a camera (browser-decodable H.264: yuv420p, no B-frames,
/// GOP of one second; Opus audio when the camera has sound, see <see cref="IngestStreams"/>) and publishes it over RTSP. Any exit is followed by a restart with back-off
/// until <see cref="StopAsync"/>; the exit code and the last stderr lines are kept.
/// </summary>
internal sealed partial class IngestProcess : IAsyncDisposable
{
    private const int TailLines = 12;
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(3);

    private readonly string _cameraId;
    private readonly string _ffmpeg;
    private readonly Func<CancellationToken, ValueTask<InputArguments>> _input;
    private readonly IReadOnlyList<string> _streams;
    private readonly Func<string> _publishUrl;
    private readonly Backoff _backoff;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<string> _tail = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IngestStatus _status;

    /// <param name="inputArguments">Made anew for every run: a test pattern's clock starts at its run's start.</param>
    /// <param name="streams">Maps and codecs (<see cref="IngestStreams"/>).</param>
    /// <param name="publishUrl">Gives the URL to publish to, asked again for every run (it carries a short-lived credential).</param>
    public IngestProcess(string cameraId, string ffmpeg, Func<CancellationToken, ValueTask<InputArguments>> inputArguments, IReadOnlyList<string> streams, Func<string> publishUrl,
        Backoff backoff, SecretRedactor redactor, TimeProvider time, ILogger logger)
    {
        _cameraId = cameraId;
        _ffmpeg = ffmpeg;
        _input = inputArguments;
        _streams = streams;
        _publishUrl = publishUrl;
        _backoff = backoff;
        _redactor = redactor;
        _time = time;
        _logger = logger;
        _status = new IngestStatus(cameraId, false, null, null, 0, null, []);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Raised whenever the process starts or exits.</summary>
    public event Action<IngestStatus>? Changed;

    public IngestStatus Status => _status;

    /// <summary>Completes once the first ffmpeg has been started (or failed to start), so a status read after it is meaningful.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    internal static IEnumerable<string> BuildArguments(IReadOnlyList<string> input, IReadOnlyList<string> streams, string publishUrl) =>
        ["-hide_banner", "-nostdin", "-loglevel", "warning", .. input, .. streams, "-f", "rtsp", "-rtsp_transport", "tcp", publishUrl];

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            using var forceful = new CancellationTokenSource();
            using var escalate = stop.Register(() => forceful.CancelAfter(KillGrace));
            int? exitCode = null;
            try
            {
                // Dies with the service (parent-death signal), started on the long-lived starter thread.
                var input = await _input(stop).ConfigureAwait(false);
                var (program, arguments) = Ffmpeg.ChildProcesses.Wrap(_ffmpeg, [.. BuildArguments(input.Arguments, _streams, _publishUrl())]);
                var command = Cli.Wrap(program)
                    .WithArguments(arguments)
                    .WithValidation(CommandResultValidation.None)
                    .WithStandardInputPipe(input.StandardInput is null ? PipeSource.Null : PipeSource.FromString(input.StandardInput))
                    .WithStandardErrorPipe(PipeTarget.ToDelegate(Remember));
                var run = Ffmpeg.ChildProcesses.Start(() => command.ExecuteAsync(forceful.Token, stop));
                Publish(_status with { Running = true, Pid = run.ProcessId, StartedAt = _time.GetUtcNow() });
                LogStarted(_logger, _cameraId, run.ProcessId);
                exitCode = (await run.Task.ConfigureAwait(false)).ExitCode;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped on purpose: ffmpeg got SIGINT (then SIGKILL after the grace period).
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                Remember($"cannot start {_ffmpeg}: {ex.Message}");
            }
            catch (Errors.SensorException ex)
            {
                // The input could not be made (a feed's credentials unavailable): retried like an exit.
                Remember(ex.Message);
            }

            var ran = _time.GetElapsedTime(started);
            if (stop.IsCancellationRequested)
            {
                Publish(_status with { Running = false, Pid = null, LastExitCode = exitCode ?? _status.LastExitCode, LastErrors = Tail() });
                return;
            }

            var delay = _backoff.Next(ran);
            var errors = Tail();
            LogExited(_logger, _cameraId, exitCode, delay.TotalSeconds, errors.Length > 0 ? errors[^1] : "");
            Publish(_status with { Running = false, Pid = null, LastExitCode = exitCode, LastErrors = errors, Restarts = _status.Restarts + 1 });
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Remember(string line)
    {
        lock (_tail)
        {
            if (_tail.Count == TailLines)
            {
                _tail.Dequeue();
            }

            _tail.Enqueue(_redactor.Redact(line));
        }
    }

    private string[] Tail()
    {
        lock (_tail)
        {
            return [.. _tail];
        }
    }

    private void Publish(IngestStatus status)
    {
        _status = status;
        _firstAttempt.TrySetResult();
        Changed?.Invoke(status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest for {Camera} started as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, string camera, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest for {Camera} exited with code {ExitCode}; restarting in {Seconds:0.##} s. Last output: {LastLine}")]
    private static partial void LogExited(ILogger logger, string camera, int? exitCode, double seconds, string lastLine);
}
