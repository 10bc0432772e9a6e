using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>The state of one WebSocket connection: who is on it and what it subscribed to.</summary>
internal sealed class RpcSession(string clientId, TimeProvider time, System.Net.IPAddress? remoteAddress = null)
{
    private readonly Lock _gate = new();

    /// <summary>Topic → device filter; made at the first subscription (most connections never subscribe).</summary>
    private Dictionary<string, string?>? _subscriptions;

    /// <summary>Read by every call's auth step without the lock; written under it.</summary>
    private volatile AuthenticatedUser? _user;
    private string? _sessionId;
    private int _failedAttempts;
    private DateTimeOffset _lockedUntil;

    public string ClientId { get; } = clientId;
    public string SessionId => _sessionId ?? Interlocked.CompareExchange(ref _sessionId, Guid.NewGuid().ToString("N"), null) ?? _sessionId;

    /// <summary>The peer's address, the key of the shared failed-authentication budget.</summary>
    public System.Net.IPAddress? RemoteAddress { get; } = remoteAddress;

    /// <summary>The caller while their credential is valid; expiry clears it. Asked by every call: no lock unless it expired.</summary>
    public AuthenticatedUser? User
    {
        get
        {
            var user = _user;
            if (user?.ExpiresAt is not { } expires || expires > time.GetUtcNow())
            {
                return user;
            }

            lock (_gate)
            {
                // Cleared only if no sign-in replaced it meanwhile.
                if (ReferenceEquals(_user, user))
                {
                    _user = null;
                    Expired = true;
                }

                return _user;
            }
        }
    }

    /// <summary>True once a credential on this connection ran out, so the error can say so.</summary>
    public bool Expired { get; private set; }

    public bool IsAuthenticated => User is not null;

    public void SignIn(AuthenticatedUser user)
    {
        lock (_gate)
        {
            _user = user;
            Expired = false;
            _failedAttempts = 0;
        }
    }

    /// <summary>Drops the connection's role: after a failed re-authentication it has no credential that was just proven.</summary>
    public void SignOut()
    {
        lock (_gate)
        {
            _user = null;
            Expired = false;
        }
    }

    /// <summary>Counts a failed authenticate; after 5 in a row the connection must wait, doubling each time.</summary>
    public void AuthenticationFailed()
    {
        lock (_gate)
        {
            _failedAttempts++;
            if (_failedAttempts >= 5)
            {
                _lockedUntil = time.GetUtcNow().AddSeconds(Math.Min(300, 1 << Math.Min(8, _failedAttempts - 5)));
            }
        }
    }

    /// <summary>How long until authenticate may be tried again, or zero.</summary>
    public TimeSpan AuthenticationLockout
    {
        get
        {
            lock (_gate)
            {
                var left = _lockedUntil - time.GetUtcNow();
                return left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }
        }
    }

    public void Subscribe(IEnumerable<string> topics, string? device)
    {
        lock (_gate)
        {
            _subscriptions ??= new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var topic in topics)
            {
                _subscriptions[topic] = device;
            }
        }
    }

    public IReadOnlyList<string> Unsubscribe(IEnumerable<string>? topics)
    {
        lock (_gate)
        {
            if (_subscriptions is not { } subscriptions)
            {
                return [];
            }

            var removed = topics is null ? [.. subscriptions.Keys] : topics.Where(subscriptions.ContainsKey).ToList();
            foreach (var topic in removed)
            {
                subscriptions.Remove(topic);
            }

            return removed;
        }
    }

    public IReadOnlyDictionary<string, string?> Subscriptions
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions is null ? new Dictionary<string, string?>(StringComparer.Ordinal) : new Dictionary<string, string?>(_subscriptions, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>True when this connection wants the topic for this device.</summary>
    public bool Wants(string topic, string? device)
    {
        lock (_gate)
        {
            return _subscriptions is not null && _subscriptions.TryGetValue(topic, out var filter) && (filter is null || string.Equals(filter, device, StringComparison.Ordinal));
        }
    }
}
