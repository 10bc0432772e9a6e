namespace VideoSensor.Configuration;

/// <summary>
/// One thing wrong with the configuration: the dotted key (<c>server.port</c>) and what is wrong with it.
/// <paramref name="Source"/> is set when the problem has a place but no key (a YAML syntax error).
/// </summary>
internal sealed record ConfigProblem(string Key, string Message, string? Source = null);

/// <summary>
/// A rule over the whole bound configuration, run after the schema (keys, types) and the option classes'
/// own rules, whatever those found: every check reports in the same pass. Add one to <see cref="ConfigChecks.All"/>.
/// </summary>
internal interface IConfigCheck
{
    IEnumerable<ConfigProblem> Check(SensorOptions options);
}

/// <summary>Every rule a configuration is checked against, at start-up, by check-config and by PATCH /api/v1/config.</summary>
internal static class ConfigChecks
{
    public static IReadOnlyList<IConfigCheck> All { get; } = [new AnnotatedRules()];

    /// <summary>The rules written on the option classes (validation attributes, <c>IValidatableObject</c>).</summary>
    private sealed class AnnotatedRules : IConfigCheck
    {
        public IEnumerable<ConfigProblem> Check(SensorOptions options) => OptionsAnnotations.Validate(options);
    }
}
