using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Storage;

/// <summary>The <c>storage:</c> section: where files and the service's own state live.</summary>
internal sealed class StorageOptions
{
    public const string Section = "storage";

    [ConfigurationKeyName("root"), Required] public string Root { get; set; } = "data";
    [ConfigurationKeyName("recordings_dir"), RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = "must be a plain folder name")] public string RecordingsDir { get; set; } = "recordings";
    [ConfigurationKeyName("snapshots_dir"), RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = "must be a plain folder name")] public string SnapshotsDir { get; set; } = "snapshots";
    [ConfigurationKeyName("state_dir"), RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = "must be a plain folder name")] public string StateDir { get; set; } = "state";

    /// <summary>Below this share of free space (percent) <c>storage.low_space</c> is published and health is degraded.</summary>
    [ConfigurationKeyName("low_space_percent"), Range(0d, 100d)] public double LowSpacePercent { get; set; } = 10;

    /// <summary>Below this share of free space (percent) new recordings are refused (-32050) and running ones stopped.</summary>
    [ConfigurationKeyName("block_space_percent"), Range(0d, 100d)] public double BlockSpacePercent { get; set; } = 2;

    /// <summary>How often retention and free space are checked in the background.</summary>
    [ConfigurationKeyName("check_interval_seconds"), Range(1, 86_400)] public int CheckIntervalSeconds { get; set; } = 60;

    /// <summary>The retention policy (live); <c>set_retention_policy</c> overrides it until this value changes again (see RuntimeOverride).</summary>
    [ConfigurationKeyName("retention")] public RetentionOptions Retention { get; set; } = new();

    public string RootPath => Path.GetFullPath(Root);
    public string RecordingsPath => Path.Combine(RootPath, RecordingsDir);
    public string SnapshotsPath => Path.Combine(RootPath, SnapshotsDir);
    public string StatePath => Path.Combine(RootPath, StateDir);
}

/// <summary>The <c>storage.retention:</c> defaults.</summary>
internal sealed class RetentionOptions
{
    [ConfigurationKeyName("policy_type"), RegularExpression("^(age|size|manual)$", ErrorMessage = "must be age, size or manual")] public string PolicyType { get; set; } = "manual";
    [ConfigurationKeyName("enabled")] public bool Enabled { get; set; }
    [ConfigurationKeyName("max_age_days"), Range(0.0, 36_500)] public double MaxAgeDays { get; set; } = 30;
    [ConfigurationKeyName("max_size_gb"), Range(0.0, 1_000_000)] public double MaxSizeGb { get; set; } = 50;
}
