using VideoSensor.FeedOwnership;
using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Configuration.Live;
using VideoSensor.Platform.Dapr;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>
/// Claims every RTSP camera of this instance through its <see cref="RtspFeedOwnerActor"/> (actor id =
/// <see cref="FeedKey"/>) and renews the claims every third of the lease. A camera is owned when the
/// actor answers with this instance; until the first answer it is not owned, so two instances never
/// both start pulling. While the sidecar is away the last answers stand: what this instance ingests it
/// keeps ingesting (no stream is dropped because of Dapr), at the price of a possible double pull once
/// the lease runs out and another instance takes the feed. Leases are released when a camera is removed
/// or re-pointed and on a clean shutdown, so the feed moves at the other instances' next renewal.
/// </summary>
internal sealed partial class ActorFeedOwnership(
    CameraRegistry registry,
    DaprSidecar sidecar,
    SidecarMonitor monitor,
    IOptions<DaprOptions> options,
    TimeProvider time,
    SidecarActors actors,
    ILogger<ActorFeedOwnership> logger) : BackgroundService, IHostedLifecycleService, IFeedOwnership
{
    private const string ClaimMethod = nameof(IRtspFeedOwner.Claim);
    private const string ReleaseMethod = nameof(IRtspFeedOwner.Release);

    private static readonly TimeSpan FirstAnswerRetry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Decision> _decisions = new(StringComparer.Ordinal);
    private readonly WakeSignal _poke = new();

    private bool _failing;
    private string? _lastFailure;

    public event Action<string>? Changed;

    private FeedClaim Claim => new(sidecar.InstanceId, options.Value.FeedLeaseSeconds);

    public bool Owns(string cameraId) => _decisions.TryGetValue(cameraId, out var decision) && decision.Owned;

    public string? NotOwnedReason(string cameraId) => _decisions.TryGetValue(cameraId, out var decision)
        ? decision.Owned ? null : $"ingested by instance {decision.Owner}"
        : "waiting for the Dapr sidecar to decide which instance ingests this feed"
            + (Volatile.Read(ref _lastFailure) is { } failure ? $" ({failure})" : "");

    public string? OtherOwner(string cameraId) => _decisions.TryGetValue(cameraId, out var decision) && !decision.Owned && decision.Owner.Length > 0 ? decision.Owner : null;

    /// <summary>How this instance's RTSP feeds stand by the last answers, for the health component.</summary>
    public FeedOwnershipSummary Summary()
    {
        var decisions = registry.List().Where(c => c.Source is RtspSource)
            .Select(c => _decisions.TryGetValue(c.Id, out var d) ? d : null).ToList();
        return new FeedOwnershipSummary(
            decisions.Count(d => d is { Owned: true }),
            [.. decisions.OfType<Decision>().Where(d => !d.Owned).Select(d => d.Owner).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            decisions.Count(d => d is { Owned: false }),
            decisions.Count(d => d is null),
            Volatile.Read(ref _lastFailure));
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Changed += OnCameraChanged;
        return base.StartAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A clean shutdown hands the feeds over at once instead of after a lease. This runs before any hosted service
    /// stops, while the web server still answers: the feed's actor may be active on this very instance, and the
    /// server stops before <see cref="StopAsync"/> would run, so a release from there could not reach it.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => StopClaimingAndReleaseAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task StopAsync(CancellationToken cancellationToken) => StopClaimingAndReleaseAsync(cancellationToken);

    private async Task StopClaimingAndReleaseAsync(CancellationToken cancellationToken)
    {
        registry.Changed -= OnCameraChanged;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var owned = _decisions.Values.Where(d => d.Owned).Select(d => d.Key).Distinct(StringComparer.Ordinal).ToList();
        _decisions.Clear();
        await Task.WhenAll(owned.Select(key => ReleaseAsync(key, cancellationToken))).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await ClaimAllAsync(stoppingToken).ConfigureAwait(false);
            await _poke.WaitAsync(NextRound(), time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A third of the lease, except while a feed still waits for its first answer after a failed claim: right after
    /// start daprd answers before placement has told it where the actor lives, and the first claim fails once; that
    /// feed is asked again after a second rather than after a renewal period.
    /// </summary>
    private TimeSpan NextRound()
    {
        var renewal = TimeSpan.FromSeconds(options.Value.FeedLeaseSeconds) / 3;
        var undecided = Volatile.Read(ref _lastFailure) is not null
            && registry.List().Any(c => c.Source is RtspSource && !_decisions.ContainsKey(c.Id));
        return undecided && renewal > FirstAnswerRetry ? FirstAnswerRetry : renewal;
    }

    /// <summary>One round: release what is gone or re-pointed, then claim (or renew) every RTSP camera at once.</summary>
    public async Task ClaimAllAsync(CancellationToken cancellationToken)
    {
        var cameras = registry.List()
            .Where(c => c.Source is RtspSource)
            .ToDictionary(c => c.Id, c => FeedKey.For(((RtspSource)c.Source).Url), StringComparer.Ordinal);
        foreach (var (id, decision) in _decisions.ToList())
        {
            if (cameras.TryGetValue(id, out var key) && key == decision.Key)
            {
                continue;
            }

            _decisions.TryRemove(id, out _);
            if (decision.Owned && !cameras.ContainsValue(decision.Key))
            {
                await ReleaseAsync(decision.Key, cancellationToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(cameras.Select(c => ClaimAsync(c.Key, c.Value, cancellationToken))).ConfigureAwait(false);
    }

    private async Task ClaimAsync(string cameraId, string key, CancellationToken cancellationToken)
    {
        FeedLease lease;
        try
        {
            using var scope = sidecar.CallScope(cancellationToken);
            lease = await CallAsync(key, ClaimMethod, scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Keep the last decision: an owner keeps its streams while the sidecar is away.
            Failed(ex);
            return;
        }

        Recovered();
        var decision = new Decision(key, lease.Owner, lease.Owner == sidecar.InstanceId);
        var previous = _decisions.TryGetValue(cameraId, out var p) ? p : null;
        if (!registry.TryGet(cameraId, out _))
        {
            return;
        }

        _decisions[cameraId] = decision;
        if (previous is null || previous.Owned != decision.Owned || previous.Owner != decision.Owner)
        {
            LogDecision(logger, cameraId, decision.Owner, decision.Owned);
            Changed?.Invoke(cameraId);
        }
    }

    private async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var scope = sidecar.CallScope(cancellationToken);
            await CallAsync(key, ReleaseMethod, scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The lease then simply runs out.
            LogReleaseFailed(logger, key, DaprErrors.Describe(ex));
        }
    }

    /// <summary>This instance's claim, to the feed's actor through the sidecar (wherever the actor is active).</summary>
    private Task<FeedLease> CallAsync(string key, string method, CancellationToken cancellationToken) =>
        actors.InvokeAsync(RtspFeedOwnerActor.TypeName, key, method, Claim, FeedOwnerJson.Default.FeedClaim, FeedOwnerJson.Default.FeedLease, cancellationToken);

    private void OnCameraChanged(CameraChange change)
    {
        // New, removed or re-pointed RTSP cameras are claimed or released now rather than at the next renewal.
        var rtsp = change.Camera.Source is RtspSource || change.Previous?.Source is RtspSource;
        if (rtsp && (change.Previous is null || change.Kind == CameraChangeKind.Removed || change.Previous.Source != change.Camera.Source))
        {
            _poke.Set();
        }
    }

    private void Failed(Exception ex)
    {
        var reason = Describe(ex);
        Volatile.Write(ref _lastFailure, reason);
        if (ex is HttpRequestException)
        {
            monitor.ReportFailure(reason);
        }

        lock (_decisions)
        {
            if (_failing)
            {
                return;
            }

            _failing = true;
        }

        LogClaimFailed(logger, reason);

        // Cameras still waiting for a first answer show why they wait.
        foreach (var camera in registry.List().Where(c => c.Source is RtspSource && !_decisions.ContainsKey(c.Id)))
        {
            Changed?.Invoke(camera.Id);
        }
    }

    private void Recovered()
    {
        Volatile.Write(ref _lastFailure, null);
        lock (_decisions)
        {
            _failing = false;
        }
    }

    /// <summary>Why a claim failed, in words fit for a camera's status reason (no request data).</summary>
    private string Describe(Exception ex) => ex switch
    {
        SidecarApiException { ErrorCode: { Length: > 0 } code } => $"the sidecar answered {code}",
        SidecarApiException api => $"the sidecar answered HTTP {(int)api.Status}",
        HttpRequestException => $"the sidecar's HTTP API at {sidecar.HttpEndpoint} does not answer",
        OperationCanceledException => "the sidecar did not answer in time",
        _ => DaprErrors.Describe(ex),
    };

    private sealed record Decision(string Key, string Owner, bool Owned);

    [LoggerMessage(Level = LogLevel.Information, Message = "RTSP feed {Camera}: ingested by instance {Owner} (this instance: {Owned})")]
    private static partial void LogDecision(ILogger logger, string camera, string owner, bool owned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming RTSP feeds through Dapr failed, keeping the current owners: {Reason}")]
    private static partial void LogClaimFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing RTSP feed lease {Key} failed (it expires on its own): {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string key, string reason);
}
