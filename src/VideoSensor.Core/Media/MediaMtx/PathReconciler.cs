using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Security;

namespace VideoSensor.Media.MediaMtx;

/// <summary>What one reconciliation pass did.</summary>
internal sealed record ReconcileReport(int Added, int Patched, int Deleted, int Unchanged, IReadOnlyList<string> Failures)
{
    public int Changes => Added + Patched + Deleted;
}

/// <summary>
/// Makes MediaMTX's configured paths equal the cameras' desired paths: add what is missing, patch what
/// differs, delete what the service owns but no longer wants. MediaMTX keeps API changes in memory
/// only, so this runs after every (re)start, on every camera change, and on a timer.
/// </summary>
internal sealed partial class PathReconciler(
    DesiredPaths desiredPaths,
    MediaMtxClient client,
    MediaMtxState state,
    CameraRegistry registry,
    SecretRedactor redactor,
    IOptions<MediaOptions> options,
    TimeProvider time,
    ILogger<PathReconciler> logger) : BackgroundService
{
    private readonly Channel<bool> _poke = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<string> _owned = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _pass = new(1, 1);
    private TaskCompletionSource<ReconcileReport> _nextReport = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the report of the next pass that runs after this call (tests and diagnostics).</summary>
    public Task<ReconcileReport> NextReportAsync() => Volatile.Read(ref _nextReport).Task;

    public ReconcileReport? LastReport { get; private set; }

    public void Poke() => _poke.Writer.TryWrite(true);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        state.Ready += Poke;
        registry.Changed += OnCameraChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        state.Ready -= Poke;
        registry.Changed -= OnCameraChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.MediaMtx.ReconcileIntervalSeconds), time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        while (!stoppingToken.IsCancellationRequested)
        {
            var poked = _poke.Reader.WaitToReadAsync(stoppingToken).AsTask();
            var woke = await Task.WhenAny(poked, tick).ConfigureAwait(false);
            if (woke == tick)
            {
                if (!await tick.ConfigureAwait(false))
                {
                    return;
                }

                tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            }

            _poke.Reader.TryRead(out _);
            if (!state.IsRunning)
            {
                continue;
            }

            try
            {
                await ReconcileAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (MediaMtxException ex)
            {
                LogPassFailed(logger, ex.Message);
            }
            catch (DependencyException ex)
            {
                // A camera's credentials could not be read (the secret store's sidecar not up yet, or restarting):
                // the other paths wait for the next pass too, and the service keeps running — a failed background
                // service would stop the host. The next pass comes soon rather than a whole interval later.
                LogPassFailed(logger, redactor.Redact(ex.Message));
                _ = PokeAfterAsync(DependencyRetry, stoppingToken);
            }
        }
    }

    private static readonly TimeSpan DependencyRetry = TimeSpan.FromSeconds(2);

    private async Task PokeAfterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            Poke();
        }
        catch (OperationCanceledException)
        {
            // Stopping: no next pass.
        }
    }

    /// <summary>One pass. Failures of single paths are collected; MediaMTX being unreachable throws.</summary>
    public async Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var report = await PassAsync(cancellationToken).ConfigureAwait(false);
            LastReport = report;
            Interlocked.Exchange(ref _nextReport, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(report);
            return report;
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<ReconcileReport> PassAsync(CancellationToken cancellationToken)
    {
        var desired = await desiredPaths.BuildAsync(cancellationToken).ConfigureAwait(false);
        var actual = (await client.ListPathConfigsAsync(cancellationToken).ConfigureAwait(false))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, StringComparer.Ordinal);
        int added = 0, patched = 0, deleted = 0, unchanged = 0;
        var failures = new List<string>();
        foreach (var (name, wanted) in desired)
        {
            try
            {
                if (!actual.TryGetValue(name, out var current))
                {
                    await client.AddPathAsync(name, wanted, cancellationToken).ConfigureAwait(false);
                    added++;
                }
                else if (!DesiredPaths.Matches(wanted, current))
                {
                    await client.PatchPathAsync(name, wanted, cancellationToken).ConfigureAwait(false);
                    patched++;
                }
                else
                {
                    unchanged++;
                }

                lock (_owned)
                {
                    _owned.Add(name);
                }
            }
            catch (MediaMtxException ex) when (ex.Failure is not MediaMtxFailure.Unreachable)
            {
                failures.Add(ex.Message);
                LogPathFailed(logger, name, redactor.Redact(ex.Message));
            }
        }

        foreach (var name in actual.Keys.Where(n => !desired.ContainsKey(n) && Owns(n)).ToList())
        {
            try
            {
                await client.DeletePathAsync(name, cancellationToken).ConfigureAwait(false);
                deleted++;
                lock (_owned)
                {
                    _owned.Remove(name);
                }
            }
            catch (MediaMtxException ex) when (ex.Failure is MediaMtxFailure.NotFound)
            {
                // Already gone: the goal is reached.
            }
            catch (MediaMtxException ex) when (ex.Failure is not MediaMtxFailure.Unreachable)
            {
                failures.Add(ex.Message);
                LogPathFailed(logger, name, ex.Message);
            }
        }

        var report = new ReconcileReport(added, patched, deleted, unchanged, failures);
        if (report.Changes > 0 || failures.Count > 0)
        {
            LogPass(logger, added, patched, deleted, unchanged, failures.Count);
        }

        return report;
    }

    /// <summary>A managed instance holds only the service's paths; on an external one only those this process added are touched.</summary>
    private bool Owns(string name)
    {
        if (!PathNames.IsValid(name))
        {
            return false;
        }

        if (options.Value.MediaMtx.Managed)
        {
            return true;
        }

        lock (_owned)
        {
            return _owned.Contains(name);
        }
    }

    private void OnCameraChanged(CameraChange change)
    {
        // Status flaps do not change the desired paths, but a new or removed camera, or a new source, does.
        if (change.Previous is null || change.Kind == CameraChangeKind.Removed || change.Previous.Source != change.Camera.Source)
        {
            Poke();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled MediaMTX paths: {Added} added, {Patched} patched, {Deleted} deleted, {Unchanged} unchanged, {Failed} failed")]
    private static partial void LogPass(ILogger logger, int added, int patched, int deleted, int unchanged, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MediaMTX path {Path} could not be applied: {Reason}")]
    private static partial void LogPathFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling MediaMTX paths failed: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string reason);
}
