using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Knows whether the sidecar answers: asks for its metadata (a cheap gRPC round trip) every
/// <c>probe_seconds</c>, and at once when a caller reports a failed call. Waiters are released the
/// moment it answers again, so buffered events flow without polling.
/// </summary>
internal sealed partial class SidecarMonitor(
    DaprSidecar sidecar,
    IOptions<DaprOptions> options,
    TimeProvider time,
    ILogger<SidecarMonitor> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _available = NewSignal();
    private TaskCompletionSource _wake = NewSignal();
    private bool _isAvailable;

    /// <summary>Raised when the sidecar starts or stops answering (true = answering).</summary>
    public event Action<bool>? AvailabilityChanged;

    public bool IsAvailable
    {
        get
        {
            lock (_gate)
            {
                return _isAvailable;
            }
        }
    }

    public string? LastError { get; private set; }
    public DateTimeOffset? LastSeen { get; private set; }

    /// <summary>The sidecar's app-id and components as it last reported them.</summary>
    public SidecarInfo? Info { get; private set; }

    /// <summary>Completes when the sidecar answers (at once if it does now).</summary>
    public Task WaitAvailableAsync(CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            signal = _available.Task;
        }

        return signal.WaitAsync(cancellationToken);
    }

    /// <summary>A call failed in a way that says the sidecar is away: mark it so and check again soon.</summary>
    public void ReportFailure(string reason)
    {
        SetAvailable(false, reason);
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>Checks the sidecar now (also used by tests and at start).</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var scope = sidecar.CallScope(cancellationToken);
            var metadata = await sidecar.Client.GetMetadataAsync(scope.Token).ConfigureAwait(false);
            Info = new SidecarInfo(metadata.Id, [.. metadata.Components.Select(c => $"{c.Name} ({c.Type})")]);
            LastSeen = time.GetUtcNow();
            SetAvailable(true, null);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SetAvailable(false, DaprErrors.Describe(ex));
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ProbeSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            await ProbeAsync(stoppingToken).ConfigureAwait(false);
            Task wake;
            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = NewSignal();
                }

                wake = _wake.Task;
            }

            try
            {
                await Task.WhenAny(wake, Task.Delay(interval, time, stoppingToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void SetAvailable(bool available, string? reason)
    {
        bool changed;
        lock (_gate)
        {
            changed = _isAvailable != available;
            _isAvailable = available;
            LastError = reason;
            if (available)
            {
                _available.TrySetResult();
            }
            else if (_available.Task.IsCompleted)
            {
                _available = NewSignal();
            }
        }

        if (!changed)
        {
            return;
        }

        if (available)
        {
            LogAvailable(logger, sidecar.GrpcEndpoint);
        }
        else
        {
            LogUnavailable(logger, sidecar.GrpcEndpoint, reason ?? "no answer");
        }

        AvailabilityChanged?.Invoke(available);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dapr sidecar at {Endpoint} is answering")]
    private static partial void LogAvailable(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dapr sidecar at {Endpoint} is not answering: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string endpoint, string reason);
}

/// <summary>What the sidecar says about itself.</summary>
internal sealed record SidecarInfo(string AppId, IReadOnlyList<string> Components);
