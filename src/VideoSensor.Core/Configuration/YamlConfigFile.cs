using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VideoSensor.Configuration;

/// <summary>
/// A YAML document flattened into configuration keys (<c>server:port</c>), remembering the line of
/// every key so that validation errors can point at the file.
/// </summary>
internal sealed class YamlConfigFile
{
    /// <summary>Far above any real config; a bigger file is a mistake or an attack, refused before it is parsed.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Nesting a config never needs; also what stops an alias that refers to itself.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Nodes visited when flattening, aliases counted each time they are used: a "billion laughs" file is
    /// small but expands exponentially, and is refused here in milliseconds instead of eating memory.
    /// </summary>
    public const int MaxNodes = 20_000;

    private YamlConfigFile(string origin, Dictionary<string, string?> values, Dictionary<string, int> lines, IReadOnlyList<ConfigProblem>? problems = null)
    {
        Origin = origin;
        Values = values;
        Lines = lines;
        Problems = problems ?? [];
    }

    public string Origin { get; }

    /// <summary>A syntax error, with the keys above it still read so that their problems show in the same pass.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }
    public IReadOnlyDictionary<string, string?> Values { get; }
    public IReadOnlyDictionary<string, int> Lines { get; }

    public static YamlConfigFile Parse(string yaml, string origin) => Parse(yaml, origin, recover: true);

    private static YamlConfigFile Parse(string yaml, string origin, bool recover)
    {
        if (yaml.Length > MaxBytes)
        {
            throw new ConfigException($"config error: {origin}:1: the file has {yaml.Length} characters; a config may have at most {MaxBytes}");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            // Read what stands above the error, once, so the rest of the file's problems show in the same pass.
            var text = yaml.Split('\n');
            var keep = (int)Math.Clamp(ex.Start.Line - 1, 0, Math.Max(0, text.Length - 1));
            var syntax = new ConfigProblem("", $"YAML syntax error: {FirstLine(ex.Message)}", $"{origin}:{ex.Start.Line}");
            if (!recover || keep == 0)
            {
                return new YamlConfigFile(origin, new(StringComparer.OrdinalIgnoreCase), new(StringComparer.OrdinalIgnoreCase), [syntax]);
            }

            // The error may be reported past the line that opened it (an unclosed bracket at the end of the
            // file): step back a few lines until the text above reads.
            for (var cut = keep; cut > 0 && cut > keep - 5; cut--)
            {
                try
                {
                    var partial = Parse(string.Join('\n', text.Take(cut)), origin, recover: false);
                    if (partial.Problems.Count == 0)
                    {
                        syntax = syntax with { Message = $"YAML syntax error: {FirstLine(ex.Message)} (only lines 1-{cut} were read)" };
                        return new YamlConfigFile(origin, (Dictionary<string, string?>)partial.Values, (Dictionary<string, int>)partial.Lines, [syntax]);
                    }
                }
                catch (ConfigException)
                {
                    // Not a mapping of sections either: try one line less.
                }
            }

            return new YamlConfigFile(origin, new(StringComparer.OrdinalIgnoreCase), new(StringComparer.OrdinalIgnoreCase), [syntax with { Message = $"YAML syntax error: {FirstLine(ex.Message)}" }]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            // The parser's own surprises still name the file, in one line, instead of ending the process.
            throw new ConfigException($"config error: {origin}:1: the file cannot be read as YAML: {FirstLine(ex.Message)}");
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (stream.Documents.Count > 0)
        {
            var root = stream.Documents[0].RootNode;
            if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return new YamlConfigFile(origin, values, lines);
            }

            if (root is not YamlMappingNode)
            {
                throw new ConfigException($"config error: {origin}:{root.Start.Line}: the file must be a mapping of sections (server:, cameras:, …)");
            }

            var visited = 0;
            Flatten(root, prefix: null, values, lines, origin, depth: 0, ref visited);
        }

        return new YamlConfigFile(origin, values, lines);
    }

    public static YamlConfigFile Load(string path)
    {
        string text;
        try
        {
            var size = new FileInfo(path).Length;
            if (size > MaxBytes)
            {
                throw new ConfigException($"config error: {path}:1: the file is {size} bytes; a config may be at most {MaxBytes}");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config error: {path}: cannot read the config file: {ex.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>The line of a key or, failing that, of its nearest ancestor.</summary>
    public int? LineOf(string key)
    {
        var k = key.Replace('.', ':');
        while (k.Length > 0)
        {
            if (Lines.TryGetValue(k, out var line))
            {
                return line;
            }

            var cut = k.LastIndexOf(':');
            if (cut < 0)
            {
                break;
            }

            k = k[..cut];
        }

        return null;
    }

    private static void Flatten(YamlNode node, string? prefix, Dictionary<string, string?> values, Dictionary<string, int> lines, string origin, int depth, ref int visited)
    {
        if (depth > MaxDepth)
        {
            throw new ConfigException($"config error: {origin}:{node.Start.Line}: nested more than {MaxDepth} levels deep (an alias that contains itself?)");
        }

        if (++visited > MaxNodes)
        {
            throw new ConfigException($"config error: {origin}:{node.Start.Line}: the document expands to more than {MaxNodes} values (aliases used over and over?)");
        }

        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
                    {
                        throw new ConfigException($"config error: {origin}:{keyNode.Start.Line}: keys must be plain names");
                    }

                    var path = prefix is null ? key : $"{prefix}:{key}";
                    lines[path] = (int)keyNode.Start.Line;
                    Flatten(valueNode, path, values, lines, origin, depth + 1, ref visited);
                }

                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var path = $"{prefix}:{i}";
                    lines[path] = (int)seq.Children[i].Start.Line;
                    Flatten(seq.Children[i], path, values, lines, origin, depth + 1, ref visited);
                }

                break;
            case YamlScalarNode scalar when prefix is not null:
                var isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "~" or "null";
                values[prefix] = isNull ? null : scalar.Value;
                break;
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
