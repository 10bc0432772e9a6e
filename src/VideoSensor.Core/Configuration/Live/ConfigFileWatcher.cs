using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoSensor.Configuration;

namespace VideoSensor.Configuration.Live;

/// <summary>
/// Watches the YAML config file. When it changes, the live settings in it (<see cref="LiveKeys"/>) that
/// differ from the file the service started with are applied; other changed keys are named in a warning
/// (they need a restart). Saves are debounced: editors often write a file in several steps.
/// </summary>
internal sealed partial class ConfigFileWatcher(
    LiveConfigurationBase startup,
    LiveConfiguration live,
    TimeProvider time,
    ILogger<ConfigFileWatcher> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _timer;
    private Dictionary<string, Dictionary<string, string?>>? _original;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (startup.Path is not { } path || !File.Exists(path))
        {
            return Task.CompletedTask;
        }

        var full = Path.GetFullPath(path);
        _original = LiveKeys.Slice(YamlConfigFile.Load(full).Values);
        _timer = time.CreateTimer(_ => Reload(full), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, _) => Schedule();
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Schedule()
    {
        lock (_gate)
        {
            _timer?.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void Reload(string path)
    {
        YamlConfigFile file;
        try
        {
            file = YamlConfigFile.Load(path);
        }
        catch (ConfigException ex)
        {
            LogUnreadable(logger, ex.Message);
            return;
        }

        var restartOnly = LiveKeys.RestartOnlyChanges(startup.Configuration, WithStartupOverrides(file));
        if (restartOnly.Count > 0)
        {
            LogNeedsRestart(logger, string.Join(", ", restartOnly));
        }

        // Only paths that differ from the file at start are owned, so environment overrides keep working.
        var owned = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (prefix, values) in LiveKeys.Slice(file.Values))
        {
            var original = _original!.GetValueOrDefault(prefix) ?? [];
            if (original.Count != values.Count || values.Any(kv => !original.TryGetValue(kv.Key, out var v) || v != kv.Value))
            {
                owned[prefix] = values;
            }
        }

        live.Apply("file", owned);
    }

    /// <summary>The new file with the start-up values of keys the file never had (environment, defaults), for the restart check.</summary>
    private IEnumerable<KeyValuePair<string, string?>> WithStartupOverrides(YamlConfigFile file)
    {
        var merged = startup.Configuration.AsEnumerable().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in file.Values)
        {
            merged[k] = v;
        }

        return merged;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The changed config file cannot be read, keeping the current settings: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The config file changed keys that apply only after a restart: {Keys}")]
    private static partial void LogNeedsRestart(ILogger logger, string keys);
}
