using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration.Live;

/// <summary>
/// The host's configuration: the values the service started with, with the live layers laid over them.
/// Each layer owns whole subtrees (<c>cameras:rtsp</c>…): under an owned path only the layer's values
/// exist, so a feed or a field removed from the list really disappears instead of showing through from the
/// file the service started with. It replaces the start-up configuration rather than sitting on top of it,
/// because a configuration provider cannot hide a key that an earlier one has (a null value binds as default).
/// A new set of layers is swapped in whole and raises the reload token, which <c>IOptionsMonitor</c> follows.
/// </summary>
internal sealed class LiveConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    private readonly IReadOnlyList<KeyValuePair<string, string?>> _startup;

    public LiveConfigurationProvider(IConfiguration startup)
    {
        _startup = [.. startup.AsEnumerable().Where(kv => kv.Value is not null)];
        Data = Compose(_startup, Owned);
    }

    /// <summary>Every owned path and its values, as applied now.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Owned { get; private set; } =
        new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>The whole configuration the service would have with <paramref name="owned"/> applied.</summary>
    public IDictionary<string, string?> Preview(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> owned) => Compose(_startup, owned);

    public void Replace(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> owned)
    {
        Data = Compose(_startup, owned);
        Owned = owned;
        OnReload();
    }

    private static Dictionary<string, string?> Compose(IEnumerable<KeyValuePair<string, string?>> startup, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> owned)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in startup)
        {
            if (!owned.Keys.Any(path => LiveKeys.IsUnder(key, path)))
            {
                data[key] = value;
            }
        }

        foreach (var values in owned.Values)
        {
            foreach (var (key, value) in values)
            {
                if (value is not null)
                {
                    data[key] = value;
                }
            }
        }

        return data;
    }
}
