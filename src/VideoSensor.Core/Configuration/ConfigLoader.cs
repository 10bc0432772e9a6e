using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration;

/// <summary>
/// Reads the YAML file (or the embedded default), applies <c>VIDEOSENSOR__SECTION__KEY</c> environment
/// overrides and the saved management-API overrides, binds and validates everything, and reports every
/// problem in one pass — syntax, unknown keys, types, values — one line each, with its source.
/// </summary>
internal static class ConfigLoader
{
    public const string EnvironmentPrefix = "VIDEOSENSOR__";
    public const string ConfigPathVariable = "VIDEOSENSOR_CONFIG";

    public static LoadedConfig Load(string? path, IEnumerable<KeyValuePair<string, string?>>? overrides = null, bool readEnvironment = true)
    {
        var file = path is null ? ParseDefault() : YamlConfigFile.Load(path);
        var sources = new ConfigSources(file);
        var builder = new ConfigurationBuilder().AddInMemoryCollection(file.Values);
        if (readEnvironment)
        {
            var environment = ConfigSources.ReadEnvironment(EnvironmentPrefix);
            builder.AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key, e.Value.Value)));
            sources.AddLayer(environment.ToDictionary(e => e.Key, e => e.Value.Variable, StringComparer.OrdinalIgnoreCase));
        }

        if (overrides is not null)
        {
            var given = overrides.ToList();
            builder.AddInMemoryCollection(given);
            sources.AddLayer(given.DistinctBy(o => o.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(o => o.Key, _ => "override", StringComparer.OrdinalIgnoreCase));
        }

        var configuration = builder.Build();

        // Changes made through PATCH /api/v1/config are kept in the state folder and win over file and environment.
        if (SavedOverrides(configuration) is { Values.Count: > 0 } saved)
        {
            builder.AddInMemoryCollection(saved.Values);
            sources.AddLayer(saved.Values.Keys.ToDictionary(k => k, _ => saved.Path, StringComparer.OrdinalIgnoreCase));
            configuration = builder.Build();
        }

        var problems = new List<ConfigProblem>(file.Problems);
        problems.AddRange(Validate(configuration, out var options));
        if (problems.Count > 0)
        {
            // In file order (a syntax error at its line), then what came from elsewhere (environment, saved overrides).
            var ordered = problems.Select((p, i) => (Problem: p, Order: p.Source is null ? sources.OrderOf(p.Key) : SyntaxLine(p.Source), Index: i))
                .OrderBy(x => x.Order).ThenBy(x => x.Index).Select(x => x.Problem);
            throw new ConfigException(string.Join(Environment.NewLine, ordered.Select(p => Format(p, p.Source ?? sources.Describe(p.Key)))));
        }

        return new LoadedConfig(configuration, options, file.Origin, path);
    }

    /// <summary>Every problem a set of configuration values has (unknown keys, bad types, rule violations), as one line each.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return [.. Validate(configuration, out _).Select(p => Format(p, null))];
    }

    /// <summary>The option classes' own rules for one object (a section, a list item) with its key paths.</summary>
    internal static IEnumerable<(string Key, string Message)> Validate(object section) =>
        OptionsAnnotations.Validate(section).Select(p => (p.Key, p.Message));

    /// <summary>
    /// Every problem of a configuration: the schema's (unknown keys, values of the wrong type or shape),
    /// then every check of <see cref="ConfigChecks.All"/> on the options bound without the keys the schema
    /// rejected, so a bad type does not hide a bad value elsewhere.
    /// </summary>
    internal static List<ConfigProblem> Validate(IConfiguration configuration, out SensorOptions options)
    {
        var problems = ConfigSchema.Problems(typeof(SensorOptions), configuration).ToList();
        var usable = problems.Count == 0 ? configuration : Without(configuration, problems.Select(p => p.Key.Replace('.', ':')).ToList());
        try
        {
            options = usable.Get<SensorOptions>() ?? new SensorOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The schema check mirrors the binder; should they ever disagree, the binder's word is kept.
            problems.Add(new ConfigProblem("", ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}"));
            options = new SensorOptions();
            return problems;
        }

        foreach (var check in ConfigChecks.All)
        {
            problems.AddRange(check.Check(options));
        }

        return problems;
    }

    public static string DefaultYaml()
    {
        using var stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream("default-config.yaml")
            ?? throw new InvalidOperationException("the embedded default config is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static YamlConfigFile ParseDefault() => YamlConfigFile.Parse(DefaultYaml(), "(built-in default config)");

    private static (string Path, Dictionary<string, string?> Values)? SavedOverrides(IConfiguration configuration)
    {
        Storage.StorageOptions storage;
        try
        {
            storage = configuration.GetSection("storage").Get<Storage.StorageOptions>() ?? new Storage.StorageOptions();
        }
        catch (InvalidOperationException)
        {
            return null; // a storage key of the wrong type: reported with the rest; no state folder to read
        }

        return ConfigOverrides.Read(storage.StatePath) is { } values ? (ConfigOverrides.PathIn(storage.StatePath), values) : null;
    }

    private static IConfigurationRoot Without(IConfiguration configuration, IReadOnlyList<string> rejected) =>
        new ConfigurationBuilder().AddInMemoryCollection(configuration.AsEnumerable().Where(kv => !rejected.Any(r =>
            string.Equals(kv.Key, r, StringComparison.OrdinalIgnoreCase) || kv.Key.StartsWith(r + ":", StringComparison.OrdinalIgnoreCase)))).Build();

    private static int SyntaxLine(string source) =>
        int.TryParse(source[(source.LastIndexOf(':') + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line) ? line : int.MaxValue;

    private static string Format(ConfigProblem problem, string? source) =>
        (problem.Key.Length, source) switch
        {
            (0, null) => $"config error: {problem.Message}",
            (0, _) => $"config error: {source}: {problem.Message}",
            (_, null) => $"config error: {problem.Key}: {problem.Message}",
            _ => $"config error: {problem.Key} ({source}): {problem.Message}",
        };
}

/// <summary>A validated configuration and where it came from.</summary>
internal sealed record LoadedConfig(IConfigurationRoot Configuration, SensorOptions Options, string Origin, string? Path);
