namespace VideoSensor.Storage;

/// <summary>
/// A setting an admin changed at run time (<c>set_retention_policy</c>, <c>set_discovery_interval</c>) over a
/// configured one. The most recent change wins: the run-time value is kept in the state folder together with the
/// configured value it replaced, and applies as long as the configuration still says that. A configuration change
/// to the setting (YAML file, Dapr configuration store, <c>PATCH /api/v1/config</c>) replaces it and removes the
/// stored value, so a restart cannot bring an older value back; a later run-time change overrides again.
/// </summary>
/// <remarks>
/// At start a stored value whose configured value differs is only ignored, not removed: the Dapr store is read
/// after start, and the value it brings may be the very one the stored value replaced.
/// </remarks>
internal sealed class RuntimeOverride<T>
    where T : notnull
{
    private readonly StateFile<Stored> _file;
    private readonly Lock _gate = new();
    private T _configured;
    private Stored? _stored;

    public RuntimeOverride(string path, T configured, Func<T, bool>? valid = null)
    {
        _file = new StateFile<Stored>(path);
        _configured = configured;
        var stored = _file.Read();
        _stored = stored is { Value: not null, Configured: not null } && (valid is null || valid(stored.Value)) ? stored : null;
    }

    /// <summary>The value in force: the run-time one while the configuration is what it replaced, else the configured one.</summary>
    public T Current
    {
        get
        {
            lock (_gate)
            {
                return Resolve();
            }
        }
    }

    /// <summary>True while a run-time value is in force.</summary>
    public bool Overridden
    {
        get
        {
            lock (_gate)
            {
                return _stored is not null && Equals(_stored.Configured, _configured);
            }
        }
    }

    /// <summary>Stores a run-time value (over the configured value in force now). Returns the value in force before.</summary>
    public T Set(T value)
    {
        lock (_gate)
        {
            var before = Resolve();
            var stored = new Stored(value, _configured);
            _file.Write(stored);
            _stored = stored;
            return before;
        }
    }

    /// <summary>
    /// The configuration now says <paramref name="configured"/>. When that is a change, a run-time value that replaced
    /// another configured value is dropped (file removed). Returns the values in force before and after, or null when the value in force is the same.
    /// </summary>
    public (T Before, T After)? Configure(T configured)
    {
        lock (_gate)
        {
            if (Equals(configured, _configured))
            {
                return null;
            }

            var before = Resolve();
            _configured = configured;
            if (_stored is not null && !Equals(_stored.Configured, configured))
            {
                _file.Delete();
                _stored = null;
            }

            var after = Resolve();
            return Equals(before, after) ? null : (before, after);
        }
    }

    private T Resolve() => _stored is not null && Equals(_stored.Configured, _configured) ? _stored.Value : _configured;

    /// <summary>The stored document: the run-time value and the configured value it replaced.</summary>
    internal sealed record Stored(T Value, T Configured);
}
