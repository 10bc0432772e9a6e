using VideoSensor.Hosting.Configuration;
using VideoSensor.Media;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Hosting;

/// <summary>Runs the service: validate the config, check ffmpeg, build the host, run until SIGTERM/SIGINT.</summary>
internal static class SensorProgram
{
    public static async Task<int> RunAsync(string? configPath)
    {
        var config = ConfigLoader.Load(configPath);
        if (CheckTools(config.Options.Media) is { } missing)
        {
            await Console.Error.WriteLineAsync($"error: {missing}").ConfigureAwait(false);
            return 3;
        }

        await using var app = SensorHost.Build(config);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
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
