using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using VideoSensor.Configuration;
using VideoSensor.Security;

namespace VideoSensor.Configuration.Live;

/// <summary>
/// Applies live settings from their sources (the YAML file on change, the Dapr configuration store) to
/// the running service. A change is validated exactly like the file at start, together with everything
/// else; an invalid one is rejected with its errors and the previous settings stay. Applied changes
/// reach <c>IOptionsMonitor&lt;T&gt;</c> (through the reload token) and <see cref="Changed"/>.
/// </summary>
internal sealed partial class LiveConfiguration(
    LiveConfigurationProvider provider,
    SecretRedactor redactor,
    ILogger<LiveConfiguration> logger)
{
    /// <summary>The layers in order of precedence: later ones win over earlier ones for the paths they own.</summary>
    public static readonly IReadOnlyList<string> Sources = ["file", "api", "dapr"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> _layers = new(StringComparer.Ordinal);

    /// <summary>Raised after a change was applied, with the live paths it touched (e.g. <c>cameras.rtsp</c>).</summary>
    public event Action<LiveConfigurationChange>? Changed;

    /// <summary>
    /// Replaces what <paramref name="source"/> says: live path → its flattened values (an empty set of values
    /// owns the path with nothing in it, e.g. an empty feed list). Returns the validation errors, empty when applied.
    /// </summary>
    public IReadOnlyList<string> Apply(string source, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> owned)
    {
        IReadOnlyList<string> touched;
        lock (_gate)
        {
            var layers = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>(_layers, StringComparer.Ordinal)
            {
                [source] = owned,
            };
            var merged = Merge(layers);
            var errors = Validate(merged);
            if (errors.Count > 0)
            {
                LogRejected(logger, source, redactor.Redact(string.Join("; ", errors)));
                return errors;
            }

            touched = Touched(provider.Owned, merged);
            _layers[source] = owned;
            if (touched.Count == 0)
            {
                return [];
            }

            provider.Replace(merged);
        }

        LogApplied(logger, source, string.Join(", ", touched));
        Changed?.Invoke(new LiveConfigurationChange(source, touched));
        return [];
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string?>> Merge(
        Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> layers)
    {
        var merged = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in Sources)
        {
            if (!layers.TryGetValue(source, out var owned))
            {
                continue;
            }

            foreach (var (path, values) in owned)
            {
                // A later layer's path replaces any earlier path it covers or that covers it.
                foreach (var covered in merged.Keys.Where(k => LiveKeys.IsUnder(k, path) || LiveKeys.IsUnder(path, k)).ToList())
                {
                    merged.Remove(covered);
                }

                merged[path] = values;
            }
        }

        return merged;
    }

    private List<string> Validate(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> merged)
    {
        var candidate = new ConfigurationBuilder().AddInMemoryCollection(provider.Preview(merged)).Build();
        return [.. ConfigLoader.Validate(candidate, out _).Select(p => $"{p.Key}: {p.Message}")];
    }

    private static List<string> Touched(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> before,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> after)
    {
        var touched = new List<string>();
        foreach (var path in before.Keys.Union(after.Keys, StringComparer.OrdinalIgnoreCase))
        {
            var a = before.GetValueOrDefault(path);
            var b = after.GetValueOrDefault(path);
            if (a is null || b is null || a.Count != b.Count || a.Any(kv => !b.TryGetValue(kv.Key, out var v) || v != kv.Value))
            {
                touched.Add(path.Replace(':', '.'));
            }
        }

        touched.Sort(StringComparer.Ordinal);
        return touched;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live configuration from {Source} applied: {Paths}")]
    private static partial void LogApplied(ILogger logger, string source, string paths);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live configuration from {Source} rejected, keeping the previous settings: {Errors}")]
    private static partial void LogRejected(ILogger logger, string source, string errors);
}

/// <summary>A live configuration change: where it came from and the paths it touched.</summary>
internal sealed record LiveConfigurationChange(string Source, IReadOnlyList<string> Paths);

/// <summary>The configuration the service started with (file, environment, overrides) and the file's path.</summary>
internal sealed record LiveConfigurationBase(IConfiguration Configuration, string? Path);
