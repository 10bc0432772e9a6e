using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoSensor.Storage;

/// <summary>
/// The current retention policy: <c>storage.retention</c> from the configuration (followed live), or the one
/// <c>set_retention_policy</c> stored since (see <see cref="RuntimeOverride{T}"/> for which wins).
/// </summary>
internal sealed partial class RetentionStore : IDisposable
{
    public const string FileName = "retention-policy.json";

    private readonly RuntimeOverride<RetentionPolicy> _policy;
    private readonly IDisposable? _subscription;
    private readonly ILogger<RetentionStore> _logger;

    public RetentionStore(IOptionsMonitor<StorageOptions> options, ILogger<RetentionStore> logger)
    {
        _logger = logger;
        PathOnDisk = Path.Combine(options.CurrentValue.StatePath, FileName);
        _policy = new RuntimeOverride<RetentionPolicy>(PathOnDisk, RetentionPolicy.From(options.CurrentValue.Retention), p => RetentionPolicy.Types.Contains(p.PolicyType));
        _subscription = options.OnChange(o => Configure(RetentionPolicy.From(o.Retention)));
    }

    /// <summary>
    /// Raised with the new policy when a configuration change changed the policy in force. Not for <see cref="Save"/>:
    /// a client that sets a policy runs <c>cleanup_old_files</c> when it wants a pass now, and sees what it deleted.
    /// </summary>
    public event Action<RetentionPolicy>? Configured;

    public string PathOnDisk { get; }

    public RetentionPolicy Current => _policy.Current;

    /// <summary>True while a policy stored by <c>set_retention_policy</c> is in force rather than the configured one.</summary>
    public bool Overridden => _policy.Overridden;

    /// <summary>Stores a policy (written to a temporary file and renamed, so a crash never leaves half a policy).</summary>
    public void Save(RetentionPolicy policy) => _policy.Set(policy);

    public void Dispose() => _subscription?.Dispose();

    private void Configure(RetentionPolicy configured)
    {
        if (_policy.Configure(configured) is { } change)
        {
            LogConfigured(_logger, change.After.PolicyType, change.After.Enabled, change.After.MaxAgeDays, change.After.MaxSizeGb);
            Configured?.Invoke(change.After);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention policy from the configuration in force: {Policy} (enabled {Enabled}, {MaxAgeDays} days, {MaxSizeGb} GiB)")]
    private static partial void LogConfigured(ILogger logger, string policy, bool enabled, double maxAgeDays, double maxSizeGb);
}
