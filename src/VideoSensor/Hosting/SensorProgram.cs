using VideoSensor.Configuration.Live;
using VideoSensor.Configuration;

namespace VideoSensor.Hosting;

/// <summary>Runs the service: validate the config, check ffmpeg, build the host, run until SIGTERM/SIGINT.</summary>
internal static class SensorProgram
{
    public static async Task<int> RunAsync(string? configPath)
    {
        var config = ConfigLoader.Load(configPath);
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
}
