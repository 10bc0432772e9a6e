using System.Collections.Concurrent;

namespace VideoSensor.Security;

/// <summary>
/// Failed-authentication budgets shared by every connection and every protocol: one per client address and
/// one per API-key prefix. Each holds <c>burst</c> failures and earns one back every <c>60 / per_minute</c>
/// seconds; an empty budget refuses further attempts from that key without checking them, so a new
/// connection per guess gains the attacker nothing.
/// </summary>
internal sealed class AuthFailureLimiter(double burst, double perMinute, TimeProvider time)
{
    /// <summary>Above this many tracked keys, full budgets are forgotten first, so a spray of addresses cannot grow memory without bound.</summary>
    private const int MaxTracked = 10_000;
    private readonly ConcurrentDictionary<string, Budget> _budgets = new(StringComparer.Ordinal);

    /// <summary>How long until <paramref name="keys"/> may try again; zero when every one of them has budget left.</summary>
    public TimeSpan RetryAfter(IEnumerable<string> keys)
    {
        var now = time.GetTimestamp();
        var longest = TimeSpan.Zero;
        foreach (var key in keys)
        {
            if (_budgets.TryGetValue(key, out var budget))
            {
                var wait = budget.WaitFor(now, burst, perMinute, time);
                longest = wait > longest ? wait : longest;
            }
        }

        return longest;
    }

    /// <summary>Spends one failure from each key's budget.</summary>
    public void Fail(IEnumerable<string> keys)
    {
        var now = time.GetTimestamp();
        foreach (var key in keys)
        {
            if (_budgets.Count >= MaxTracked)
            {
                Prune(now);
            }

            _budgets.GetOrAdd(key, _ => new Budget(burst, now)).Spend(now, burst, perMinute, time);
        }
    }

    public int Tracked => _budgets.Count;

    private void Prune(long now)
    {
        foreach (var (key, budget) in _budgets)
        {
            if (budget.IsFull(now, burst, perMinute, time))
            {
                _budgets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Budget(double tokens, long last)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _last = last;

        public void Spend(long now, double burst, double perMinute, TimeProvider time)
        {
            lock (_gate)
            {
                Refill(now, burst, perMinute, time);
                _tokens -= 1;
            }
        }

        public TimeSpan WaitFor(long now, double burst, double perMinute, TimeProvider time)
        {
            lock (_gate)
            {
                Refill(now, burst, perMinute, time);
                return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromMinutes((1 - _tokens) / perMinute);
            }
        }

        public bool IsFull(long now, double burst, double perMinute, TimeProvider time)
        {
            lock (_gate)
            {
                Refill(now, burst, perMinute, time);
                return _tokens >= burst;
            }
        }

        private void Refill(long now, double burst, double perMinute, TimeProvider time)
        {
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalMinutes * perMinute));
            _last = now;
        }
    }
}
