using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using VideoSensor.Platform.Secrets;
using VideoSensor.Storage;

namespace VideoSensor.Security;

/// <summary>
/// The HS256 key: resolved through the secret source on each use (so rotation needs no restart), or in
/// dev mode a random key generated once and kept under the state folder.
/// </summary>
internal sealed partial class SigningKeyProvider(
    IOptionsMonitor<SecurityOptions> security,
    IOptions<StorageOptions> storage,
    ISecretSource secrets,
    ILogger<SigningKeyProvider> logger)
{
    public const string DevSecretFile = "dev-jwt-secret";

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

            return ToKey(value);
        }

        if (!options.DevMode)
        {
            throw new AuthenticationException("HS256 tokens are not accepted: security.jwt_secret is not configured");
        }

        return ToKey(DevSecret(storage.Value.StatePath, logger));
    }

    /// <summary>Reads or creates the dev-mode secret file (0600).</summary>
    internal static string DevSecret(string stateDir, ILogger? logger = null)
    {
        Directory.CreateDirectory(stateDir);
        var path = Path.Combine(stateDir, DevSecretFile);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (logger is not null)
        {
            LogDevSecretCreated(logger, path);
        }

        return secret;
    }

    private static SymmetricSecurityKey ToKey(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        // HS256 needs at least 256 bits of key; shorter secrets are stretched rather than rejected.
        return new SymmetricSecurityKey(bytes.Length >= 32 ? bytes : SHA256.HashData(bytes));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dev mode: generated a JWT signing secret at {Path}; configure security.jwt_secret for production")]
    private static partial void LogDevSecretCreated(ILogger logger, string path);
}
