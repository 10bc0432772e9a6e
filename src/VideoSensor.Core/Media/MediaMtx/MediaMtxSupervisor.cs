using System.Diagnostics;
using CliWrap;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// Keeps MediaMTX available. Managed: finds the binary, checks its ports, writes its config, runs it
/// as a child, waits for <c>/v3/info</c>, and restarts it with back-off on any exit (it exits 0 on a
/// bad reload). External: watches an existing instance and notices when it restarted. Without a
/// binary the service keeps running and reports why streaming is unavailable.
/// </summary>
internal sealed partial class MediaMtxSupervisor(
    IOptions<MediaOptions> options,
    MediaMtxConfigWriter writer,
    MediaMtxClient client,
    MediaMtxState state,
    MediaMtxLogForwarder forwarder,
    TimeProvider time,
    ILogger<MediaMtxSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.MediaMtx;
        if (o.Disabled)
        {
            state.Set(new MediaMtxStatus(MediaMtxPhase.Disabled, "media.mediamtx.mode is disabled"));
            return;
        }

        try
        {
            if (o.Managed)
            {
                await SuperviseAsync(o, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await WatchExternalAsync(o, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }

        if (state.Status.Phase != MediaMtxPhase.Stopped)
        {
            state.Set(new MediaMtxStatus(MediaMtxPhase.Stopped, "the service is shutting down", Restarts: state.Status.Restarts));
        }
    }

    private async Task SuperviseAsync(MediaMtxOptions o, CancellationToken stoppingToken)
    {
        var configured = o.BinaryPath;
        var binary = FfmpegLocator.Find(configured);
        if (binary is null)
        {
            var reason = $"mediamtx binary '{configured}' not found; set media.mediamtx.binary_path (VIDEOSENSOR__MEDIA__MEDIAMTX__BINARY_PATH) or put mediamtx on PATH; scripts/run.sh provides the tested release (MEDIAMTX_BINARY, PATH or a download)";
            LogMissing(logger, reason);
            state.Set(new MediaMtxStatus(MediaMtxPhase.Stopped, reason));
            return;
        }

        var backoff = new Backoff(o.RestartMin, o.RestartMax);
        var restarts = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            var reason = await RunOnceAsync(binary, o, restarts, stoppingToken).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            restarts++;
            var delay = backoff.Next(time.GetElapsedTime(started));
            LogRestarting(logger, reason, delay.TotalSeconds);
            state.Set(new MediaMtxStatus(MediaMtxPhase.Restarting, reason, Restarts: restarts));
            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One life of the child; returns why it ended.</summary>
    private async Task<string> RunOnceAsync(string binary, MediaMtxOptions o, int restarts, CancellationToken stoppingToken)
    {
        var busy = writer.ListenPorts().Where(p => !PortCheck.IsFree(p)).ToList();
        if (busy.Count > 0)
        {
            return "port " + string.Join(", ", busy.Select(b => $"{b.Port} ({b.Name}{(b.Udp ? ", udp" : "")})")) + " is already in use";
        }

        var configPath = await writer.WriteAsync(stoppingToken).ConfigureAwait(false);
        using var forceful = new CancellationTokenSource();
        using var escalate = stoppingToken.Register(() => forceful.CancelAfter(KillGrace));
        // SIGINT on the service's death (MediaMTX then closes its listeners), so a kill -9 of the service does not
        // leave MediaMTX holding the ports the next start needs.
        var (program, arguments) = ChildProcesses.Wrap(binary, [configPath], "INT");
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithWorkingDirectory(Path.GetDirectoryName(configPath)!)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(forwarder.Forward))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(forwarder.Forward));
        var run = ChildProcesses.Start(() => command.ExecuteAsync(forceful.Token, stoppingToken));
        var pid = run.ProcessId;
        LogStarted(logger, binary, pid);
        state.Set(new MediaMtxStatus(MediaMtxPhase.Starting, "waiting for the API to answer", Pid: pid, Restarts: restarts));
        try
        {
            var info = await WaitForApiAsync(run.Task, TimeSpan.FromSeconds(o.StartTimeoutSeconds), stoppingToken).ConfigureAwait(false);
            if (info is null && !run.Task.IsCompleted)
            {
                await forceful.CancelAsync().ConfigureAwait(false);
                await Swallow(run.Task).ConfigureAwait(false);
                return $"the API did not answer within {o.StartTimeoutSeconds} s";
            }

            if (info is not null)
            {
                state.Set(new MediaMtxStatus(MediaMtxPhase.Running, "ready", info.Version, pid, time.GetUtcNow(), restarts));
            }

            var result = await run.Task.ConfigureAwait(false);
            return $"mediamtx exited with code {result.ExitCode}";
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await Swallow(run.Task).ConfigureAwait(false);
            return "stopped";
        }
    }

    /// <summary>
    /// MediaMTX has no readiness signal other than its API answering, so the API is probed until it
    /// answers, the child exits, or the timeout passes.
    /// </summary>
    private async Task<MtxInfo?> WaitForApiAsync(Task exited, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!exited.IsCompleted && time.GetTimestamp() < deadline)
        {
            try
            {
                return await client.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MediaMtxException)
            {
                // Not listening yet (or the auth callback is not up yet): probe again shortly.
            }

            await Task.WhenAny(exited, Task.Delay(ProbeInterval, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return null;
    }

    private async Task WatchExternalAsync(MediaMtxOptions o, CancellationToken stoppingToken)
    {
        var backoff = new Backoff(o.RestartMin, o.RestartMax);
        string? lastStarted = null;
        var restarts = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var info = await client.GetInfoAsync(stoppingToken).ConfigureAwait(false);
                var status = new MediaMtxStatus(MediaMtxPhase.Running, "external instance answers", info.Version, null, time.GetUtcNow(), restarts);
                if (!state.IsRunning)
                {
                    state.Set(status);
                }
                else if (lastStarted is not null && info.Started != lastStarted)
                {
                    // It restarted between two checks and lost every path added through the API.
                    restarts++;
                    state.RaiseRestarted(status with { Restarts = restarts });
                }

                lastStarted = info.Started;
                wait = TimeSpan.FromSeconds(o.ReconcileIntervalSeconds);
                backoff = new Backoff(o.RestartMin, o.RestartMax);
            }
            catch (MediaMtxException ex)
            {
                wait = backoff.Next(TimeSpan.Zero);
                if (state.Status.Phase != MediaMtxPhase.Restarting || state.Status.Reason != ex.Message)
                {
                    LogExternalDown(logger, ex.Message);
                    state.Set(new MediaMtxStatus(MediaMtxPhase.Restarting, ex.Message, Restarts: restarts));
                }
            }

            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected when the child was stopped on purpose.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MediaMTX is not available, streaming is off: {Reason}")]
    private static partial void LogMissing(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Binary} as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, string binary, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MediaMTX stopped ({Reason}); restarting in {Seconds:0.##} s")]
    private static partial void LogRestarting(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "External MediaMTX is not answering: {Reason}")]
    private static partial void LogExternalDown(ILogger logger, string reason);
}
