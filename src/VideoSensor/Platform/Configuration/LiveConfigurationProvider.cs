using Microsoft.Extensions.Configuration;

namespace VideoSensor.Platform.Configuration;

/// <summary>
/// The last configuration provider of the host. Each layer (the YAML file, then the Dapr configuration
/// store) owns whole subtrees (<c>cameras:rtsp</c>…): under an owned path this provider is the only
/// voice, so a feed removed from the list really disappears instead of showing through from the file
/// the service started with. A new set of layers is swapped in whole and raises the reload token,
/// which is what <c>IOptionsMonitor</c> listens to.
/// </summary>
internal sealed class LiveConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    private volatile Snapshot _current = Snapshot.Empty;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Every owned path and its values, as applied now.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Owned => _current.Owned;

    /// <summary>A provider holding <paramref name="owned"/>, for validating a change before it is applied.</summary>
    public static LiveConfigurationProvider Candidate(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> owned)
    {
        var provider = new LiveConfigurationProvider();
        provider._current = new Snapshot(owned);
        return provider;
    }

    public void Replace(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> owned)
    {
        _current = new Snapshot(owned);
        OnReload();
    }

    public override bool TryGet(string key, out string? value)
    {
        var snapshot = _current;
        if (snapshot.Values.TryGetValue(key, out value))
        {
            return true;
        }

        // Under an owned path a key this layer lacks is hidden, not left to earlier providers.
        value = null;
        return snapshot.OwnerOf(key) is not null;
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var snapshot = _current;
        var own = snapshot.Values.Keys
            .Where(k => parentPath is null || LiveKeys.IsUnder(k, parentPath) && k.Length > parentPath.Length)
            .Select(k => Segment(k, parentPath));
        IEnumerable<string> inherited = earlierKeys;
        if (parentPath is not null && snapshot.OwnerOf(parentPath) is not null)
        {
            inherited = [];
        }
        else
        {
            // Drop an earlier child that is itself owned (it exists only if this layer has values for it).
            inherited = earlierKeys.Where(child => snapshot.OwnerOf(parentPath is null ? child : $"{parentPath}:{child}") is null);
        }

        return inherited.Concat(own).Distinct(StringComparer.OrdinalIgnoreCase).Order(ConfigurationKeyComparer.Instance);
    }

    private static string Segment(string key, string? parentPath)
    {
        var rest = parentPath is null ? key : key[(parentPath.Length + 1)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? rest : rest[..colon];
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, IReadOnlyDictionary<string, string?>>());

        public Snapshot(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> owned)
        {
            Owned = owned;
            Values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (_, values) in owned)
            {
                foreach (var (k, v) in values)
                {
                    Values[k] = v;
                }
            }
        }

        public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Owned { get; }
        public Dictionary<string, string?> Values { get; }

        public string? OwnerOf(string path) => Owned.Keys.FirstOrDefault(p => LiveKeys.IsUnder(path, p));
    }
}
