namespace VideoSensor.Configuration.Live;

/// <summary>
/// Lets a background loop sleep until its next period or until something it depends on changed (a setting
/// applied live, a policy stored), whichever comes first. A wake that arrives while the loop is busy is kept
/// for its next wait, so no change is missed.
/// </summary>
internal sealed class WakeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _pending;

    public void Set()
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            _pending = true;
            woken = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    /// <summary>Returns after <paramref name="delay"/> (may be infinite), on <see cref="Set"/>, or when cancelled.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        Task woken;
        lock (_gate)
        {
            if (_pending)
            {
                _pending = false;
                return;
            }

            woken = _next.Task;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(woken, Task.Delay(delay, time, stop.Token)).ConfigureAwait(false);

        // Ends the timer when the wake came first.
        await stop.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _pending = false;
        }
    }
}
