using System.CommandLine;
using VideoSensor.Configuration;

namespace VideoSensor.Hosting.Cli;

/// <summary>
/// The command line of the service binary (System.CommandLine): <c>run</c> (also with no command),
/// <c>token</c>, <c>check-config</c> and <c>call</c>, each with <c>--help</c>; <c>--version</c>. A word the
/// parser does not know is an error naming it, with exit code 2, and nothing starts.
/// </summary>
internal static class SensorCli
{
    public const int UsageError = 2;

    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = Build(output, error);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"see '{root.Name} --help'{(parsed.CommandResult.Command == root ? "" : $" or '{root.Name} {parsed.CommandResult.Command.Name} --help'")}").ConfigureAwait(false);
            return UsageError;
        }

        try
        {
            // The service handles SIGTERM/SIGINT itself (graceful shutdown), so the parser must not.
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    internal static RootCommand Build(TextWriter output, TextWriter error)
    {
        var config = new Option<string?>("--config")
        {
            Description = $"the YAML config file (default: ${ConfigLoader.ConfigPathVariable}, else the built-in default config)",
            HelpName = "PATH",
            Recursive = true,
        };

        var root = new RootCommand("""
            DaprCamera video sensor: cameras, snapshots, recordings and streams behind JSON-RPC over WebSocket.
            With no command it runs the service. Any config key can be overridden as VIDEOSENSOR__SECTION__KEY=value.
            """)
        {
            config,
        };
        root.SetAction((parse, _) => SensorProgram.RunAsync(ConfigPath(parse, config)));

        var run = new Command("run", "run the service until SIGTERM/SIGINT (the default command)");
        run.SetAction((parse, _) => SensorProgram.RunAsync(ConfigPath(parse, config)));
        root.Add(run);

        root.Add(TokenCommand.Build(config, output, error));
        root.Add(CheckConfigCommand.Build(config, output, error));
        root.Add(CallCommand.Build(config, output, error));

        // "help" as a word, for people who type it: the same text as --help.
        var help = new Command("help", "show this help");
        help.SetAction((_, ct) => root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct));
        root.Add(help);
        return root;
    }

    /// <summary>
    /// Makes a word that looks like an option an error when it lands in a positional argument: the parser
    /// would otherwise take <c>check-config --bogus</c> as a file named "--bogus".
    /// </summary>
    internal static T RejectingOptions<T>(T argument)
        where T : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith('-') && token.Value.Length > 1)
                {
                    result.AddError($"Unrecognized command or argument '{token.Value}'.");
                }
            }
        });
        return argument;
    }

    /// <summary>The config file: <c>--config</c>, else <c>VIDEOSENSOR_CONFIG</c>, else null (the built-in default).</summary>
    internal static string? ConfigPath(ParseResult parse, Option<string?> config)
    {
        var chosen = parse.GetValue(config) ?? Environment.GetEnvironmentVariable(ConfigLoader.ConfigPathVariable);
        return string.IsNullOrEmpty(chosen) ? null : chosen;
    }
}
