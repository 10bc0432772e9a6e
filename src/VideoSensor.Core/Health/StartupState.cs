namespace VideoSensor.Health;

/// <summary>When the service started and whether it has finished starting.</summary>
internal sealed class StartupState(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private volatile bool _ready;

    public bool IsReady => _ready;
    public TimeSpan Uptime => time.GetElapsedTime(_started);
    public TimeSpan? TimeToReady { get; private set; }

    public void MarkReady()
    {
        TimeToReady ??= Uptime;
        _ready = true;
    }

    public void MarkStopping() => _ready = false;
}
