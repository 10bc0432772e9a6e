using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration;
using VideoSensor.Secrets;
using VideoSensor.Security;

namespace VideoSensor.Hosting.Cli;

/// <summary><c>token</c>: mints a JWT signed with the configured secret (the dev secret in dev mode).</summary>
internal static class TokenCommand
{
    public static Command Build(Option<string?> config, TextWriter output, TextWriter error)
    {
        var role = RoleOption("the role the token grants");
        role.Required = true;
        var ttl = new Option<string>("--ttl") { Description = "how long the token is valid: 30m, 24h, 7d …", HelpName = "DURATION", DefaultValueFactory = _ => "24h" };
        ttl.Validators.Add(result =>
        {
            if (!TryParseDuration(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("--ttl must be a duration like 30m, 24h or 7d");
            }
        });
        var user = new Option<string?>("--user") { Description = "the user_id claim (default: cli-ROLE)", HelpName = "NAME" };

        var command = new Command("token", "print a token for the JSON-RPC authenticate method and REST (Bearer)") { role, ttl, user };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = ConfigLoader.Load(SensorCli.ConfigPath(parse, config));
            RoleExtensions.TryParse(parse.GetValue(role), out var granted);
            TryParseDuration(parse.GetValue(ttl)!, out var lifetime);
            var token = await IssueAsync(loaded.Options, parse.GetValue(user) ?? $"cli-{granted.ToWire()}", granted, lifetime, ct).ConfigureAwait(false);
            await output.WriteLineAsync(token).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>A --role option that accepts viewer, operator or admin and names the rule otherwise.</summary>
    internal static Option<string> RoleOption(string description)
    {
        var role = new Option<string>("--role") { Description = description, HelpName = "viewer|operator|admin" };
        role.Validators.Add(result =>
        {
            if (!RoleExtensions.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("--role must be viewer, operator or admin");
            }
        });
        return role;
    }

    /// <summary>Signs a token the way the service verifies it (same secret, issuer and audience).</summary>
    internal static async Task<string> IssueAsync(SensorOptions options, string user, Role role, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var secrets = new LocalSecretSource(new StaticMonitor<SecretsOptions>(options.Secrets), new SecretRedactor());
        var keys = new SigningKeyProvider(new StaticMonitor<SecurityOptions>(options.Security), Options.Create(options.Storage), secrets, NullLogger<SigningKeyProvider>.Instance);
        var tokens = new TokenService(keys, new StaticMonitor<SecurityOptions>(options.Security), TimeProvider.System);
        return await tokens.IssueAsync(user, role, ttl, cancellationToken).ConfigureAwait(false);
    }

    internal static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is null || text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
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
    private sealed class StaticMonitor<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
