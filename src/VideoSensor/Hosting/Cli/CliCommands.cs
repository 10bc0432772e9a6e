using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoSensor.Hosting.Configuration;
using VideoSensor.Platform.Secrets;
using VideoSensor.Security;

namespace VideoSensor.Hosting.Cli;

/// <summary>The commands that share the service binary: <c>token</c> and <c>check-config</c>.</summary>
internal static class CliCommands
{
    public const string Usage = """
        usage: VideoSensor [run] [--config PATH]        run the service (default: built-in config)
               VideoSensor token --role viewer|operator|admin [--ttl 24h] [--user NAME] [--config PATH]
               VideoSensor check-config [PATH]          validate a config file and exit
        environment: VIDEOSENSOR_CONFIG=PATH, VIDEOSENSOR__SECTION__KEY=value overrides
        """;

    /// <summary>Mints a token signed with the configured secret (the dev secret in dev mode).</summary>
    public static async Task<int> TokenAsync(CommandLine command, TextWriter output, TextWriter error)
    {
        if (!RoleExtensions.TryParse(command.Options.GetValueOrDefault("role"), out var role))
        {
            await error.WriteLineAsync("token: --role must be viewer, operator or admin").ConfigureAwait(false);
            return 2;
        }

        if (!TryParseDuration(command.Options.GetValueOrDefault("ttl") ?? "24h", out var ttl))
        {
            await error.WriteLineAsync("token: --ttl must be a duration like 30m, 24h or 7d").ConfigureAwait(false);
            return 2;
        }

        var config = ConfigLoader.Load(command.ConfigPath);
        var options = config.Options;
        var secrets = new LocalSecretSource(new StaticMonitor<SecretsOptions>(options.Secrets), new SecretRedactor());
        var keys = new SigningKeyProvider(new StaticMonitor<SecurityOptions>(options.Security), Options.Create(options.Storage), secrets, NullLogger<SigningKeyProvider>.Instance);
        var tokens = new TokenService(keys, new StaticMonitor<SecurityOptions>(options.Security), TimeProvider.System);
        var user = command.Options.GetValueOrDefault("user") ?? $"cli-{role.ToWire()}";
        await output.WriteLineAsync(await tokens.IssueAsync(user, role, ttl, CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> CheckConfigAsync(CommandLine command, TextWriter output, TextWriter error)
    {
        var path = command.Positional.FirstOrDefault() ?? command.ConfigPath;
        try
        {
            var config = ConfigLoader.Load(path);
            if (StartupPreconditions.Check(config.Options) is { Count: > 0 } problems)
            {
                await error.WriteLineAsync(string.Join(Environment.NewLine, problems.Select(p => $"config error: {p}"))).ConfigureAwait(false);
                return 1;
            }

            await output.WriteLineAsync($"{config.Origin}: OK ({config.Options.Cameras.TestPatterns.Count + config.Options.Cameras.Rtsp.Count} configured cameras)").ConfigureAwait(false);
            return 0;
        }
        catch (ConfigException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        duration = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }

    /// <summary>Options that never change, for the CLI's one-shot use of the services.</summary>
    private sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
