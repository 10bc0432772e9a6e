using Dapr.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration;
using VideoSensor.Configuration.Live;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Live settings from the Dapr configuration store. A store key names a configuration path
/// (<c>cameras.rtsp</c>, <c>cameras.rtsp_probe_interval_seconds</c>, <c>storage.retention</c>); its value is
/// a scalar or a YAML/JSON document for the subtree. Reads every key once, then follows the subscription;
/// when the stream breaks (sidecar restart) it reads and subscribes again once the sidecar answers.
/// An empty value removes the override.
/// </summary>
internal sealed partial class DaprConfigurationWatcher(
    DaprSidecar sidecar,
    SidecarMonitor monitor,
    IOptions<DaprOptions> options,
    LiveConfiguration live,
    TimeProvider time,
    ILogger<DaprConfigurationWatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, string> _items = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Completes the first time the store's values were read (tests and start-up ordering).</summary>
    public TaskCompletionSource FirstRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = options.Value.ConfigurationStore;
        if (store.Length == 0)
        {
            FirstRead.TrySetResult();
            return;
        }

        var keys = options.Value.ConfigurationKeys;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await monitor.WaitAvailableAsync(stoppingToken).ConfigureAwait(false);
                using (var scope = sidecar.CallScope(stoppingToken))
                {
                    var initial = await sidecar.Client.GetConfiguration(store, keys, cancellationToken: scope.Token).ConfigureAwait(false);
                    _items.Clear();
                    Merge(initial.Items);
                }

                FirstRead.TrySetResult();

                // The subscription lives as long as the sidecar does; only opening it has a timeout.
                var subscription = await OpenAsync(store, keys, stoppingToken).ConfigureAwait(false);
                await foreach (var items in subscription.Source.WithCancellation(stoppingToken).ConfigureAwait(false))
                {
                    Merge(items);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogStreamBroken(logger, store, DaprErrors.Describe(ex));
                if (DaprErrors.IsUnavailable(ex))
                {
                    monitor.ReportFailure(DaprErrors.Describe(ex));
                }
                else
                {
                    // The store answered "no" (missing component): try again after the next probe period.
                    await Task.Delay(TimeSpan.FromSeconds(options.Value.ProbeSeconds), time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<SubscribeConfigurationResponse> OpenAsync(string store, IReadOnlyList<string> keys, CancellationToken stoppingToken)
    {
        using var scope = sidecar.CallScope(stoppingToken);
        var subscription = await sidecar.Client.SubscribeConfiguration(store, keys, cancellationToken: stoppingToken).WaitAsync(scope.Token).ConfigureAwait(false);
        return subscription;
    }

    private void Merge(IEnumerable<KeyValuePair<string, ConfigurationItem>> items)
    {
        foreach (var (key, item) in items)
        {
            var path = LiveKeys.Normalize(key);
            if (!LiveKeys.IsLive(path))
            {
                LogNotLive(logger, key);
                continue;
            }

            if (string.IsNullOrEmpty(item.Value))
            {
                _items.Remove(path);
            }
            else
            {
                _items[path] = item.Value;
            }
        }

        var owned = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (path, value) in _items)
        {
            try
            {
                owned[path] = Flatten(path, value);
            }
            catch (ConfigException ex)
            {
                LogBadValue(logger, path.Replace(':', '.'), ex.Message);
            }
        }

        live.Apply("dapr", owned);
    }

    /// <summary>A store value (scalar, or a YAML/JSON document) as configuration values under <paramref name="path"/>.</summary>
    internal static Dictionary<string, string?> Flatten(string path, string value)
    {
        var document = "v:\n" + string.Join('\n', value.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => "  " + l));
        var file = YamlConfigFile.Parse(document, "configuration store value");
        return file.Values.Where(kv => kv.Value is not null || file.Values.Count == 1)
            .ToDictionary(kv => path + kv.Key[1..], kv => kv.Value, StringComparer.OrdinalIgnoreCase);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dapr configuration store {Store}: stream ended ({Reason}); reading it again when the sidecar answers")]
    private static partial void LogStreamBroken(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dapr configuration key {Key} is not a live setting; ignored")]
    private static partial void LogNotLive(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dapr configuration key {Key} has a value that is not YAML: {Reason}")]
    private static partial void LogBadValue(ILogger logger, string key, string reason);
}
