using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using VideoSensor.Secrets;
using VideoSensor.Storage;

namespace VideoSensor.Security;

/// <summary>
/// The HS256 key: resolved through the secret source on each use (so rotation needs no restart), or in
/// dev mode a random key generated once and kept under the state folder. A key shorter than 32 bytes is
/// refused from every source: it could be guessed, and stretching it would not make it less so.
/// </summary>
internal sealed partial class SigningKeyProvider(
    IOptionsMonitor<SecurityOptions> security,
    IOptions<StorageOptions> storage,
    ISecretSource secrets,
    ILogger<SigningKeyProvider> logger)
{
    public const string DevSecretFile = "dev-jwt-secret";
    private readonly Lock _devGate = new();
    private byte[]? _devSecret;

    public async ValueTask<SymmetricSecurityKey> GetAsync(CancellationToken cancellationToken)
    {
        var options = security.CurrentValue;
        if (options.JwtSecret is { } reference)
        {
            var value = await secrets.GetAsync(reference, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(value))
            {
                throw new AuthenticationException($"the JWT secret {reference} is not in the secret store");
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            if (bytes.Length < SecretFile.MinimumBytes)
            {
                LogShortSecret(logger, reference.ToString(), bytes.Length);
                throw new AuthenticationException("HS256 tokens are not accepted: the configured JWT secret is shorter than 32 bytes");
            }

            return new SymmetricSecurityKey(bytes);
        }

        if (!options.DevMode)
        {
            throw new AuthenticationException("HS256 tokens are not accepted: security.jwt_secret is not configured");
        }

        lock (_devGate)
        {
            // Read once per process: the file is checked (and repaired) at first use, not on every token.
            _devSecret ??= DevSecret(storage.Value.StatePath, logger);
            return new SymmetricSecurityKey(_devSecret);
        }
    }

    /// <summary>Reads or creates the dev-mode secret file (0600, at least 32 random bytes, written atomically).</summary>
    internal static byte[] DevSecret(string stateDir, ILogger? logger = null)
    {
        var path = Path.Combine(stateDir, DevSecretFile);
        var (secret, outcome) = SecretFile.ReadOrCreate(path);
        if (logger is not null)
        {
            switch (outcome)
            {
                case SecretFile.Outcome.Created:
                    LogDevSecretCreated(logger, path);
                    break;
                case SecretFile.Outcome.Replaced:
                    LogDevSecretReplaced(logger, path);
                    break;
            }
        }

        return secret;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dev mode: generated a JWT signing secret at {Path}; configure security.jwt_secret for production")]
    private static partial void LogDevSecretCreated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dev mode: the JWT signing secret at {Path} was empty, short or unreadable; generated a new one (tokens signed with the old one no longer work)")]
    private static partial void LogDevSecretReplaced(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "The JWT secret {Reference} has {Length} bytes; HS256 needs at least 32, so HS256 tokens are refused until it is replaced")]
    private static partial void LogShortSecret(ILogger logger, string reference, int length);
}
