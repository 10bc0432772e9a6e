namespace VideoSensor.Hosting.Cli;

/// <summary>The parsed command line: a command (run, token, check-config) and its options.</summary>
internal sealed record CommandLine(string Command, string? ConfigPath, IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> Positional)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count > 0 && args[0] is "--help" or "-h")
        {
            return new CommandLine("help", null, new Dictionary<string, string>(), []);
        }

        var command = args.Count > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = command == "run" && (args.Count == 0 || args[0].StartsWith('-')) ? 0 : 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    options[arg[2..eq]] = arg[(eq + 1)..];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    options[arg[2..]] = args[++i];
                }
                else
                {
                    options[arg[2..]] = "true";
                }
            }
            else
            {
                positional.Add(arg);
            }
        }

        var config = options.GetValueOrDefault("config") ?? Environment.GetEnvironmentVariable(Configuration.ConfigLoader.ConfigPathVariable);
        return new CommandLine(command, string.IsNullOrEmpty(config) ? null : config, options, positional);
    }
}
