namespace VideoSensor.Media.MediaMtx;

/// <summary>Where MediaMTX is in its life, as the supervisor last saw it.</summary>
internal enum MediaMtxPhase
{
    Starting,
    Running,
    Restarting,
    Stopped,
    Disabled,
}

/// <summary>One observation of MediaMTX: what it is doing and why.</summary>
internal sealed record MediaMtxStatus(MediaMtxPhase Phase, string Reason, string? Version = null, int? Pid = null, DateTimeOffset? Since = null, int Restarts = 0);

/// <summary>
/// The shared view of MediaMTX's state. The supervisor writes it; the reconciler, the health check and
/// the streaming methods read it. <see cref="Ready"/> fires on every (re)start, because MediaMTX
/// forgets API-made paths whenever it restarts.
/// </summary>
internal sealed class MediaMtxState
{
    private volatile MediaMtxStatus _status = new(MediaMtxPhase.Starting, "not started yet");

    public MediaMtxStatus Status => _status;

    public bool IsRunning => _status.Phase == MediaMtxPhase.Running;

    /// <summary>Raised after MediaMTX answered /v3/info following a (re)start. Handlers must not block.</summary>
    public event Action? Ready;

    /// <summary>Raised on every change.</summary>
    public event Action<MediaMtxStatus>? Changed;

    public void Set(MediaMtxStatus status)
    {
        var wasRunning = IsRunning;
        _status = status;
        Changed?.Invoke(status);
        if (status.Phase == MediaMtxPhase.Running && !wasRunning)
        {
            Ready?.Invoke();
        }
    }

    /// <summary>Signals a restart that was noticed without leaving the running phase (an external instance restarted between checks).</summary>
    public void RaiseRestarted(MediaMtxStatus status)
    {
        _status = status;
        Changed?.Invoke(status);
        Ready?.Invoke();
    }

    /// <summary>Throws the contract's -32050 unless MediaMTX is running.</summary>
    public void EnsureRunning()
    {
        var status = _status;
        if (status.Phase != MediaMtxPhase.Running)
        {
            throw new Errors.DependencyException("mediamtx", $"{status.Phase.ToString().ToLowerInvariant()}: {status.Reason}",
                status.Phase == MediaMtxPhase.Disabled
                    ? "streaming is disabled by media.mediamtx.mode"
                    : "check get_status and the service log; install mediamtx or set media.mediamtx.binary_path");
        }
    }
}
