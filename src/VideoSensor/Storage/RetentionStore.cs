using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoSensor.Storage;

/// <summary>
/// The current retention policy: the one <c>set_retention_policy</c> stored last (a JSON file under the state
/// folder, so it survives restarts), or the configured default until then.
/// </summary>
internal sealed partial class RetentionStore(IOptions<StorageOptions> options, ILogger<RetentionStore> logger)
{
    public const string FileName = "retention-policy.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private readonly Lock _gate = new();
    private RetentionPolicy? _current;

    public string PathOnDisk => Path.Combine(options.Value.StatePath, FileName);

    public RetentionPolicy Current
    {
        get
        {
            lock (_gate)
            {
                return _current ??= Load();
            }
        }
    }

    /// <summary>Stores a policy: written to a temporary file and renamed, so a crash never leaves half a policy.</summary>
    public void Save(RetentionPolicy policy)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(options.Value.StatePath);
            var temporary = PathOnDisk + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(policy, Json));
            File.Move(temporary, PathOnDisk, overwrite: true);
            _current = policy;
        }
    }

    private RetentionPolicy Load()
    {
        var fallback = RetentionPolicy.From(options.Value.Retention);
        if (!File.Exists(PathOnDisk))
        {
            return fallback;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<RetentionPolicy>(File.ReadAllText(PathOnDisk), Json);
            return stored is not null && RetentionPolicy.Types.Contains(stored.PolicyType) ? stored : fallback;
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            LogUnreadable(logger, PathOnDisk, ex.Message);
            return fallback;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored retention policy {Path} is unreadable, using the configured default: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
