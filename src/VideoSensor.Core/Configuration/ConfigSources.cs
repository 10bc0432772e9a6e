using System.Collections;

namespace VideoSensor.Configuration;

/// <summary>
/// Where each configuration key came from, so a problem points at what to fix: the file and line, the
/// environment variable (<c>VIDEOSENSOR__SERVER__PORT</c>), or the saved management-API overrides. Later
/// layers win, as in the configuration itself.
/// </summary>
internal sealed class ConfigSources
{
    private readonly YamlConfigFile _file;
    private readonly List<IReadOnlyDictionary<string, string>> _layers = [];

    public ConfigSources(YamlConfigFile file) => _file = file;

    /// <summary><c>VIDEOSENSOR__*</c> variables as configuration keys (<c>server:port</c>), each remembering its variable name.</summary>
    public static Dictionary<string, (string Variable, string? Value)> ReadEnvironment(string prefix)
    {
        var found = new Dictionary<string, (string, string?)>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
            {
                found[name[prefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = (name, entry.Value as string);
            }
        }

        return found;
    }

    /// <summary>A layer over the file, in the order they apply: each of its keys (<c>server:port</c>) with the name of its source.</summary>
    public void AddLayer(IReadOnlyDictionary<string, string> sourceOfKey) => _layers.Add(sourceOfKey);

    /// <summary>"file.yaml:4", "VIDEOSENSOR__SERVER__PORT", … for a dotted key, or null when nothing names it.</summary>
    public string? Describe(string dottedKey) => Find(dottedKey).Source;

    /// <summary>The file line a key's problem points at, to list problems in file order (others after).</summary>
    public int OrderOf(string dottedKey) => Find(dottedKey).Line ?? int.MaxValue;

    private (string? Source, int? Line) Find(string dottedKey)
    {
        var key = dottedKey.Replace('.', ':');

        // The layer that set the key itself wins; then the file's own line for it; then a layer that set
        // something inside it (a section's problem); then the file's nearest enclosing key.
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            if (_layers[i].TryGetValue(key, out var source))
            {
                return (source, null);
            }
        }

        if (_file.Lines.TryGetValue(key, out var exactLine))
        {
            return ($"{_file.Origin}:{exactLine}", exactLine);
        }

        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            foreach (var (candidate, source) in _layers[i])
            {
                if (candidate.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase))
                {
                    return (source, null);
                }
            }
        }

        return _file.LineOf(key) is { } line ? ($"{_file.Origin}:{line}", line) : (null, null);
    }
}
