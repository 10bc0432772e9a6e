using Microsoft.Extensions.Logging;
using VideoSensor.Events;

namespace VideoSensor.Recording;

/// <summary>The session's events and progress reports; every number is measured from the files on disk.</summary>
internal sealed partial class RecordingSession
{
    private void PublishStart() => _context.Events.Publish(
        new RecordingStarted(Device, FileName, Format.Name, StartTime, _duration, TimeSpan.FromSeconds(_context.Options.SegmentSeconds)));

    /// <summary>The recorder failed: it restarts (RECONNECTING) or the recording ends with <paramref name="reason"/> (STOPPING).</summary>
    private void PublishError(string error, bool restarting, string? reason = null)
    {
        var summary = Summary();
        _context.Events.Publish(new RecorderFailed(Device, summary.FileName, TimeSpan.FromSeconds(summary.Duration), error, reason ?? "recorder_died", restarting, summary.Restarts));
    }

    /// <summary>The recorder writes again after an outage; the event carries how long the gap was.</summary>
    private void PublishRecovered(double gapSeconds)
    {
        LogRecovered(_context.Logger, Device, gapSeconds);
        var summary = Summary();
        _context.Events.Publish(new RecordingRecovered(Device, summary.FileName, TimeSpan.FromSeconds(summary.Duration), TimeSpan.FromSeconds(gapSeconds), summary.Restarts));
    }

    private void PublishStop()
    {
        var summary = Summary();
        LogStopped(_context.Logger, Device, summary.StopReason ?? "", summary.Duration, summary.Segments.Count);
        _context.Events.Publish(new RecordingStopped(
            Device,
            summary.FileName,
            TimeSpan.FromSeconds(summary.Duration),
            summary.FileSize,
            summary.StopReason,
            [.. summary.Segments.Select(s => s.FileName)],
            summary.Restarts,
            TimeSpan.FromSeconds(summary.GapSeconds)));
    }

    private async Task ProgressLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_context.Options.ProgressIntervalSeconds), _context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (State == RecordingState.Recording)
                {
                    await PublishProgressAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: RecordingStopped carries the final numbers.
        }
    }

    /// <summary>Finished segments plus the growing one, as ffprobe and the file system see them now.</summary>
    private async Task PublishProgressAsync()
    {
        var summary = Summary();
        var duration = summary.Duration;
        var bytes = summary.FileSize;
        if (ActivePartialPath is { } partial && File.Exists(partial))
        {
            bytes += new FileInfo(partial).Length;
            duration += await _context.Segments.DurationAsync(partial, _stop.Token).ConfigureAwait(false) ?? 0;
        }

        _context.Events.Publish(new RecordingProgressed(
            Device,
            summary.FileName,
            TimeSpan.FromSeconds(duration),
            bytes,
            summary.Segments.Count + (ActivePartialPath is null ? 0 : 1),
            summary.Restarts));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not finish segment {File}: {Reason}")]
    private static partial void LogCompleteFailed(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording of {Camera} ends ({Reason}): {Detail}")]
    private static partial void LogRecordingFailed(ILogger logger, string camera, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorder of {Camera} exited ({ExitCode}): {Reason}")]
    private static partial void LogRecorderExited(ILogger logger, string camera, int exitCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recorder of {Camera} stopped unexpectedly, restarting into a new segment: {Reason}")]
    private static partial void LogRecorderDied(ILogger logger, string camera, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording of {Camera} recovered after a gap of {Gap:0.0} s")]
    private static partial void LogRecovered(ILogger logger, string camera, double gap);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording of {Camera} stopped ({Reason}): {Duration:0.0} s in {Segments} segments")]
    private static partial void LogStopped(ILogger logger, string camera, string reason, double duration, int segments);
}
