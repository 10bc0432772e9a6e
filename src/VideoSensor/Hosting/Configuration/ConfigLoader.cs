using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Hosting.Configuration;

/// <summary>
/// Reads the YAML file (or the embedded default), applies <c>VIDEOSENSOR__SECTION__KEY</c> environment
/// overrides, binds and validates everything, and reports every problem with its key and line.
/// </summary>
internal static class ConfigLoader
{
    public const string EnvironmentPrefix = "VIDEOSENSOR__";
    public const string ConfigPathVariable = "VIDEOSENSOR_CONFIG";

    public static LoadedConfig Load(string? path, IEnumerable<KeyValuePair<string, string?>>? overrides = null, bool readEnvironment = true)
    {
        var file = path is null ? ParseDefault() : YamlConfigFile.Load(path);
        var builder = new ConfigurationBuilder().AddInMemoryCollection(file.Values);
        if (readEnvironment)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }

        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        var configuration = builder.Build();

        // Changes made through PATCH /api/v1/config are kept in the state folder and win over file and environment.
        if (ConfigOverrides.Read(configuration) is { Count: > 0 } saved)
        {
            builder.AddInMemoryCollection(saved);
            configuration = builder.Build();
        }

        var unknown = ConfigSchema.UnknownKeys(typeof(SensorOptions), configuration).Select(k => Format(file, k, "unknown key")).ToList();
        if (unknown.Count > 0)
        {
            throw new ConfigException(string.Join(Environment.NewLine, unknown));
        }

        SensorOptions options;
        try
        {
            options = configuration.Get<SensorOptions>() ?? new SensorOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigException(Describe(file, ex));
        }

        var errors = Validate(options).Select(e => Format(file, e.Key, e.Message)).ToList();
        if (errors.Count > 0)
        {
            throw new ConfigException(string.Join(Environment.NewLine, errors));
        }

        return new LoadedConfig(configuration, options, file.Origin, path);
    }

    /// <summary>Every problem a set of configuration values has (unknown keys, bad types, rule violations), as one line each.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var file = YamlConfigFile.Parse("", "(request)");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var errors = ConfigSchema.UnknownKeys(typeof(SensorOptions), configuration).Select(k => Format(file, k, "unknown key")).ToList();
        if (errors.Count > 0)
        {
            return errors;
        }

        try
        {
            var options = configuration.Get<SensorOptions>() ?? new SensorOptions();
            return [.. Validate(options).Select(e => Format(file, e.Key, e.Message))];
        }
        catch (InvalidOperationException ex)
        {
            return [Describe(file, ex)];
        }
    }

    public static string DefaultYaml()
    {
        using var stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream("default-config.yaml")
            ?? throw new InvalidOperationException("the embedded default config is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static YamlConfigFile ParseDefault() => YamlConfigFile.Parse(DefaultYaml(), "(built-in default config)");

    /// <summary>Validation of every section, with the YAML key path of each failing member.</summary>
    internal static IEnumerable<(string Key, string Message)> Validate(object section, string prefix = "")
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            yield return (Join(prefix, member is null ? "" : KeyOf(section.GetType(), member)), Clean(result.ErrorMessage));
        }

        foreach (var property in section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead)
            {
                continue;
            }

            var value = property.GetValue(section);
            var key = Join(prefix, KeyOf(property));
            if (value is null or string || property.PropertyType.IsPrimitive || property.PropertyType.IsEnum)
            {
                continue;
            }

            if (value is IDictionary)
            {
                continue;
            }

            if (value is IEnumerable items)
            {
                var index = 0;
                foreach (var item in items)
                {
                    if (item is not null && item is not string && !item.GetType().IsPrimitive)
                    {
                        foreach (var nested in Validate(item, $"{key}.{index}"))
                        {
                            yield return nested;
                        }
                    }

                    index++;
                }

                continue;
            }

            if (property.PropertyType.IsClass)
            {
                foreach (var nested in Validate(value, key))
                {
                    yield return nested;
                }
            }
        }
    }

    private static string KeyOf(Type type, string member) =>
        type.GetProperty(member) is { } p ? KeyOf(p) : member;

    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static string Join(string prefix, string key) =>
        prefix.Length == 0 ? key : key.Length == 0 ? prefix : $"{prefix}.{key}";

    private static string Clean(string? message) =>
        (message ?? "is invalid").Replace("The field ", "", StringComparison.Ordinal);

    private static string Format(YamlConfigFile file, string key, string message)
    {
        var line = file.LineOf(key);
        return line is null ? $"config error: {key}: {message}" : $"config error: {key} (line {line}): {message}";
    }

    private static string Describe(YamlConfigFile file, InvalidOperationException ex)
    {
        // The binder says "... 'Name' was not found ... at 'server'" or "Failed to convert ... at 'server:port' to type ...".
        var message = ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
        var unknown = System.Text.RegularExpressions.Regex.Match(message, @"'([^']+)' (?:was|were) not found.*?'(?<path>[^']*)'");
        if (message.Contains("not found", StringComparison.Ordinal) && unknown.Success)
        {
            var names = unknown.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var parent = unknown.Groups["path"].Value;
            return string.Join(Environment.NewLine, names.Select(n =>
            {
                var key = (parent.Length == 0 ? n : $"{parent}:{n}").Replace(':', '.');
                return Format(file, key, "unknown key");
            }));
        }

        var convert = System.Text.RegularExpressions.Regex.Match(message, @"at '(?<path>[^']+)' to type '(?<type>[^']+)'");
        if (convert.Success)
        {
            var key = convert.Groups["path"].Value.Replace(':', '.');
            var type = convert.Groups["type"].Value.Split('.')[^1];
            return Format(file, key, $"is not a valid {type.ToLowerInvariant()}");
        }

        return $"config error: {message}";
    }
}

/// <summary>A validated configuration and where it came from.</summary>
internal sealed record LoadedConfig(IConfigurationRoot Configuration, SensorOptions Options, string Origin, string? Path);
