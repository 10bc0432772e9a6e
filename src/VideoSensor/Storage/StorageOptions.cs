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

    public string RootPath => Path.GetFullPath(Root);
    public string RecordingsPath => Path.Combine(RootPath, RecordingsDir);
    public string SnapshotsPath => Path.Combine(RootPath, SnapshotsDir);
    public string StatePath => Path.Combine(RootPath, StateDir);
}
