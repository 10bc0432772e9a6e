using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>
/// One camera's recording: supervises a recorder ffmpeg that writes segments, restarts it into a new segment
/// when it dies or the camera drops out (reporting the gap), stops itself when its duration is reached, and
/// turns every segment into a finished, playable file.
/// </summary>
internal sealed partial class RecordingSession : IAsyncDisposable
{
    private readonly RecorderContext _context;
    private readonly Camera _camera;
    private readonly string _stem;
    private readonly string _folder;
    private readonly TimeSpan? _duration;
    private readonly Lock _gate = new();
    private readonly List<Segment> _segments = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _live = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _completions = [];
    private RecorderProcess? _process;
    private string? _currentPartial;
    private int _nextIndex;
    private DateTimeOffset? _deadline;
    private DateTimeOffset? _downSince;
    private int _restarts;
    private double _gapSeconds;
    private string _stopReason = "requested";
    private Task _run = Task.CompletedTask;
    private Task _progress = Task.CompletedTask;

    public RecordingSession(RecorderContext context, Camera camera, RecordingFormat format, TimeSpan? duration, string stem, string folder)
    {
        _context = context;
        _camera = camera;
        Format = format;
        _duration = duration;
        _stem = stem;
        _folder = folder;
        StartTime = context.Time.GetUtcNow();
        LatestFramePath = context.Options.LatestFrame ? Path.Combine(context.LatestFrameFolder, camera.Id + ".jpg") : null;
    }

    public string Device => _camera.Id;
    public RecordingFormat Format { get; }
    public DateTimeOffset StartTime { get; }
    public RecordingState State { get; private set; } = RecordingState.Starting;

    /// <summary>The name clients know this recording by: its first segment.</summary>
    public string FileName => SegmentName(0);

    /// <summary>Where the running recorder keeps the latest key frame (may not exist yet).</summary>
    public string? LatestFramePath { get; }

    /// <summary>The process id of the running recorder, if one runs (tests kill it to prove recovery).</summary>
    public int? RecorderProcessId => _process?.Completion.IsCompleted == false ? _process.ProcessId : null;

    /// <summary>Completes when the session has stopped and every segment is final.</summary>
    public Task Completion => _run;

    /// <summary>Starts the first recorder and waits until bytes reach the disk (or it fails).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (LatestFramePath is not null)
        {
            Directory.CreateDirectory(_context.LatestFrameFolder);
            File.Delete(LatestFramePath);
        }

        _run = Task.Run(RunAsync, CancellationToken.None);
        _progress = Task.Run(ProgressLoopAsync, CancellationToken.None);
        try
        {
            await _live.Task.WaitAsync(TimeSpan.FromSeconds(_context.Options.StartTimeoutSeconds), _context.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await StopAsync("start_timeout").ConfigureAwait(false);
            throw new DependencyException("camera", $"no video from '{Device}' within {_context.Options.StartTimeoutSeconds} s",
                "check that the camera is streaming (get_camera_status) and try again");
        }
        catch (Exception)
        {
            await StopAsync("start_failed").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the recorder gracefully and returns what was recorded.</summary>
    public async Task<RecordingSummary> StopAsync(string reason)
    {
        lock (_gate)
        {
            if (State is not RecordingState.Stopping and not RecordingState.Stopped)
            {
                _stopReason = reason;
                State = RecordingState.Stopping;
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_process is { } process)
        {
            await process.StopAsync(TimeSpan.FromSeconds(_context.Options.StopTimeoutSeconds)).ConfigureAwait(false);
        }

        await _run.ConfigureAwait(false);
        await _progress.ConfigureAwait(false);
        return Summary();
    }

    public RecordingSummary Summary()
    {
        lock (_gate)
        {
            var ended = State == RecordingState.Stopped ? _context.Time.GetUtcNow() : (DateTimeOffset?)null;
            // A recording is known by its first segment's name from start to stop, even if that segment was dropped.
            return new RecordingSummary(Device, FileName, Format.Name, StartTime, ended,
                Math.Round(_segments.Sum(s => s.Duration), 3), _segments.Sum(s => s.Size), [.. _segments], _restarts, Math.Round(_gapSeconds, 3),
                State == RecordingState.Stopped ? _stopReason : null);
        }
    }

    /// <summary>The segment being written right now (a <c>.partial</c> file), never to be deleted by retention.</summary>
    public string? ActivePartialPath
    {
        get
        {
            lock (_gate)
            {
                return _currentPartial is null ? null : Path.Combine(_folder, _currentPartial);
            }
        }
    }

    /// <summary>True when <paramref name="fileName"/> is one of this recording's segments (finished or being written).</summary>
    public bool Holds(string fileName)
    {
        lock (_gate)
        {
            return State != RecordingState.Stopped
                && fileName.StartsWith(_stem + "_", StringComparison.Ordinal);
        }
    }

    private string SegmentName(int index) => $"{_stem}_{index:D4}.{Format.Extension}";

    /// <summary>
    /// Supervises recorder runs until the recording ends, however it ends; then finishes every segment and
    /// always publishes <c>recording.stop</c> with the true reason.
    /// </summary>
    private async Task RunAsync()
    {
        try
        {
            await SuperviseAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while opening the camera's stream.
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
        finally
        {
            try
            {
                await CompleteLeftoversAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogCompleteFailed(_context.Logger, _stem, ex.Message);
            }

            lock (_gate)
            {
                State = RecordingState.Stopped;
                _currentPartial = null;
            }

            _live.TrySetException(new DependencyException("camera", "the recording stopped before it started", "try again"));
            _ = _live.Task.Exception;
            PublishStop();
        }
    }

    private async Task SuperviseAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        var maxBackoff = TimeSpan.FromSeconds(_context.Options.RestartMaxBackoffSeconds);
        while (!_stop.IsCancellationRequested)
        {
            var remaining = Remaining();
            if (remaining is { TotalSeconds: < 0.2 })
            {
                SetReason("duration");
                break;
            }

            var (exit, wasLive) = await RunRecorderAsync(remaining).ConfigureAwait(false);
            if (_stop.IsCancellationRequested)
            {
                break;
            }

            if (exit.ExitCode == 0 && Remaining() is { TotalSeconds: < 1 })
            {
                SetReason("duration");
                break;
            }

            if (!_live.Task.IsCompleted)
            {
                // Never started: tell the caller at once instead of retrying behind its back.
                SetReason("start_failed");
                _live.TrySetException(new DependencyException(_camera.Kind == CameraKind.Rtsp ? "camera" : "ffmpeg", exit.Reason,
                    _camera.Kind == CameraKind.Rtsp ? "check that the camera is reachable and its credentials are right" : "check the service log for the ffmpeg output")
                {
                    Reason = "start_failed",
                });
                break;
            }

            backoff = wasLive ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, maxBackoff.Ticks));
            ReportOutage(exit);
            try
            {
                await Task.Delay(backoff, _context.Time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// A run could not go on (ffmpeg missing, storage failing, …): the reason names the cause; a recording that
    /// never started says start_failed unless the cause is more specific.
    /// </summary>
    private void Fail(Exception ex)
    {
        var specific = ex is MissingToolException or IOException or UnauthorizedAccessException;
        var reason = specific ? StorageFailure.ReasonOf(ex) : _live.Task.IsCompleted ? "recorder_failed" : "start_failed";
        SetReason(reason);
        LogRecordingFailed(_context.Logger, Device, reason, ex.Message);
        var error = specific ? StorageFailure.From(ex) : new DependencyException("ffmpeg", "the recorder could not be started", "check the service log");
        if (!_live.TrySetException(error))
        {
            PublishError(error.Detail, restarting: false, reason);
        }
    }

    /// <summary>Records why the recording ends, unless a stop was requested first (that reason stands).</summary>
    private void SetReason(string reason)
    {
        lock (_gate)
        {
            if (State is not RecordingState.Stopping and not RecordingState.Stopped)
            {
                _stopReason = reason;
            }
        }
    }

    /// <summary>One recorder run, until ffmpeg exits; returns how it ended and whether it wrote anything.</summary>
    private async Task<(RecorderExit Exit, bool WasLive)> RunRecorderAsync(TimeSpan? remaining)
    {
        // Each run holds the camera's stream (when it is read through MediaMTX) until its recorder exits.
        using var input = await _context.Input.OpenAsync(_camera, _stop.Token).ConfigureAwait(false);
        var source = new RecorderSource(input.Input, input.Encoded, RecorderAudio.For(_camera, input.ViaMediaMtx));
        int first;
        lock (_gate)
        {
            first = _nextIndex;
        }

        var plan = new RecorderPlan(source, Format, _context.Options.SegmentSeconds, _camera.Fps,
            Path.Combine(_folder, $"{_stem}_%04d.{Format.Extension}{FileStore.PartialSuffix}"), first, remaining, LatestFramePath,
            _context.Options.WallclockTimestamps);
        var live = false;
        var process = RecorderProcess.Start(_context.Ffmpeg.FfmpegPath, RecorderCommand.Build(plan), source.Input.StandardInput, _context.Redactor, _context.Time,
            opened => { live = true; OnSegmentOpened(opened); },
            OnSegmentClosed);
        _process = process;
        if (_stop.IsCancellationRequested)
        {
            await process.StopAsync(TimeSpan.FromSeconds(_context.Options.StopTimeoutSeconds)).ConfigureAwait(false);
        }

        var exit = await process.Completion.ConfigureAwait(false);
        await process.DisposeAsync().ConfigureAwait(false);
        LogRecorderExited(_context.Logger, Device, exit.ExitCode, exit.Reason);
        await CompleteLeftoversAsync().ConfigureAwait(false);
        return (exit, live);
    }

    private void OnSegmentOpened(string partialName)
    {
        var now = _context.Time.GetUtcNow();
        double? gap = null;
        lock (_gate)
        {
            _currentPartial = partialName;
            if (SegmentIndex(partialName) is { } index)
            {
                _nextIndex = Math.Max(_nextIndex, index + 1);
            }

            if (State is RecordingState.Starting or RecordingState.Reconnecting)
            {
                State = RecordingState.Recording;
                if (_downSince is { } down)
                {
                    gap = (now - down).TotalSeconds;
                    _gapSeconds += gap.Value;
                    _downSince = null;
                }
            }
        }

        if (_live.TrySetResult())
        {
            _deadline = _duration is { } d ? now + d : null;
            PublishStart();
            if (_duration is { } limit)
            {
                _ = StopAtDeadlineAsync(limit);
            }
        }
        else if (gap is { } g)
        {
            PublishRecovered(g);
        }
    }

    private void OnSegmentClosed(SegmentClosed closed)
    {
        var completion = CompleteAsync(Path.Combine(_folder, closed.PartialName), closed.End - closed.Start);
        lock (_gate)
        {
            _completions.RemoveAll(t => t.IsCompleted);
            _completions.Add(completion);
        }
    }

    private async Task CompleteAsync(string partialPath, double reportedSeconds)
    {
        try
        {
            var segment = await _context.Segments.CompleteAsync(partialPath, reportedSeconds, CancellationToken.None).ConfigureAwait(false);
            Add(segment is null ? [] : [segment]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the after-run sweep, which retries every partial file of this recording.
            LogCompleteFailed(_context.Logger, Path.GetFileName(partialPath), ex.Message);
        }
    }

    /// <summary>After a run: waits for the segments ffmpeg announced, then takes over whatever it left unannounced.</summary>
    private async Task CompleteLeftoversAsync()
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _completions];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        Add(await _context.Segments.CompleteLeftoversAsync(_folder, $"{_stem}_*.{Format.Extension}", CancellationToken.None).ConfigureAwait(false));
    }

    private void Add(IReadOnlyList<Segment> segments)
    {
        lock (_gate)
        {
            foreach (var segment in segments)
            {
                if (_currentPartial == segment.FileName + FileStore.PartialSuffix)
                {
                    _currentPartial = null;
                }

                if (!_segments.Any(s => s.FileName == segment.FileName))
                {
                    _segments.Add(segment);
                }
            }

            _segments.Sort((a, b) => string.CompareOrdinal(a.FileName, b.FileName));
        }
    }

    private void ReportOutage(RecorderExit exit)
    {
        bool first;
        lock (_gate)
        {
            _restarts++;
            first = _downSince is null;
            _downSince ??= exit.At;
            State = RecordingState.Reconnecting;
            _currentPartial = null;
        }

        if (first)
        {
            LogRecorderDied(_context.Logger, Device, exit.Reason);
            PublishError(exit.Reason, restarting: true);
        }
    }

    /// <summary>
    /// ffmpeg's <c>-t</c> cuts at the exact media time; this wall-clock guard stops a recording whose source
    /// timestamps stall (so <c>-t</c> is never reached) shortly after its duration.
    /// </summary>
    private async Task StopAtDeadlineAsync(TimeSpan duration)
    {
        try
        {
            await Task.Delay(duration + TimeSpan.FromSeconds(3), _context.Time, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await StopAsync("duration").ConfigureAwait(false);
    }

    private TimeSpan? Remaining()
    {
        if (_duration is null)
        {
            return null;
        }

        return _deadline is { } deadline ? deadline - _context.Time.GetUtcNow() : _duration;
    }

    private static int? SegmentIndex(string partialName)
    {
        var stem = partialName.Split('.')[0];
        var underscore = stem.LastIndexOf('_');
        return underscore >= 0 && int.TryParse(stem.AsSpan(underscore + 1), out var index) ? index : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (State != RecordingState.Stopped)
        {
            await StopAsync("disposed").ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
