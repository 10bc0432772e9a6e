namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// A per-connection request budget: <c>rate</c> a second, bursts up to <c>burst</c>. Not thread-safe, and needs not be:
/// its one caller is the connection's receive loop, which reads one message at a time.
/// </summary>
internal sealed class TokenBucket(double ratePerSecond, double burst, TimeProvider time)
{
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    /// <summary>Takes one token, or says how long until one is there.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * ratePerSecond));
        _last = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / ratePerSecond);
        return false;
    }
}
