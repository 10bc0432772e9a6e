using System.CommandLine;
using VideoSensor.Configuration;

namespace VideoSensor.Hosting.Cli;

/// <summary><c>check-config [PATH]</c>: validates a config (with the environment's overrides) and exits.</summary>
internal static class CheckConfigCommand
{
    public static Command Build(Option<string?> config, TextWriter output, TextWriter error)
    {
        var path = SensorCli.RejectingOptions(new Argument<string?>("PATH") { Description = "the file to check (default: --config, $VIDEOSENSOR_CONFIG or the built-in default)", Arity = ArgumentArity.ZeroOrOne });
        var command = new Command("check-config", "validate a config file and exit: one line per problem, all problems at once; non-zero on errors") { path };
        command.SetAction(async (parse, _) =>
        {
            try
            {
                var loaded = ConfigLoader.Load(parse.GetValue(path) ?? SensorCli.ConfigPath(parse, config));
                if (StartupPreconditions.Check(loaded.Options) is { Count: > 0 } problems)
                {
                    await error.WriteLineAsync(string.Join(Environment.NewLine, problems.Select(p => $"config error: {p}"))).ConfigureAwait(false);
                    return 1;
                }

                var cameras = loaded.Options.Cameras.TestPatterns.Count + loaded.Options.Cameras.Rtsp.Count;
                await output.WriteLineAsync($"{loaded.Origin}: OK ({cameras} configured cameras)").ConfigureAwait(false);
                return 0;
            }
            catch (ConfigException ex)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
