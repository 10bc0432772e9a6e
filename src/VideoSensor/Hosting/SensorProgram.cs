using VideoSensor.Hosting.Cli;
using VideoSensor.Hosting.Configuration;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Hosting;

/// <summary>Runs the service: validate the config, check ffmpeg, build the host, run until SIGTERM/SIGINT.</summary>
internal static class SensorProgram
{
    public static async Task<int> RunAsync(CommandLine command)
    {
        var config = ConfigLoader.Load(command.ConfigPath);
        if (StartupPreconditions.Check(config.Options) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"config error: {problem}").ConfigureAwait(false);
            }

            return 1;
        }

        await using var app = SensorHost.Build(config);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> UsageAsync(TextWriter writer, int exitCode)
    {
        await writer.WriteLineAsync(CliCommands.Usage).ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>The one-line reason the service cannot run, or null when ffmpeg and ffprobe are there.</summary>
    internal static string? CheckTools(MediaOptions media)
    {
        if (FfmpegLocator.Find(media.FfmpegPath) is null)
        {
            return new MissingToolException(media.FfmpegPath).Message;
        }

        return FfmpegLocator.Find(media.FfprobePath) is null ? new MissingToolException(media.FfprobePath).Message : null;
    }
}
