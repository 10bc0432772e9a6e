using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VideoSensor.Security;

/// <summary>Validates JWTs (HS256) and API keys, and mints tokens for the CLI.</summary>
internal sealed class TokenService(SigningKeyProvider keys, IOptionsMonitor<SecurityOptions> options, TimeProvider time, JwksKeySource? jwks = null)
{
    /// <summary>How far the caller's clock may be off: enough for NTP drift, short enough not to extend a token noticeably.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async ValueTask<AuthenticatedUser> AuthenticateAsync(string credential, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(credential) || credential.Length > 8192)
        {
            throw new AuthenticationException("the token is empty or too long");
        }

        // A JWT has three dot-separated parts; anything else is tried as an API key. The caller sent "a token"
        // (bearer, auth_token, ?token=), so a miss says the token is invalid rather than blaming an API key.
        if (credential.Count(c => c == '.') == 2)
        {
            return await ValidateJwtAsync(credential, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return ValidateApiKey(credential);
        }
        catch (AuthenticationException)
        {
            throw new AuthenticationException("the token is not valid: it is neither a JWT nor an API key known to this service");
        }
    }

    public async ValueTask<AuthenticatedUser> ValidateJwtAsync(string token, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        string algorithm;
        string? keyId;
        try
        {
            var header = _handler.ReadJsonWebToken(token);
            algorithm = header.Alg;
            keyId = header.Kid;
        }
        catch (ArgumentException)
        {
            throw new AuthenticationException("the token is not a well-formed JWT");
        }

        var asymmetric = algorithm is SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.EcdsaSha256;
        if (asymmetric && jwks is not { Enabled: true })
        {
            throw new AuthenticationException("RS256/ES256 tokens need security.jwks_url to be configured");
        }

        // The library's own checks, nothing hand-rolled: signature and algorithm, exp (required), nbf, and
        // issuer and audience when configured, against the system clock with a small skew.
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = asymmetric
                ? await jwks!.GetKeysAsync(keyId, cancellationToken).ConfigureAwait(false)
                : [await keys.GetAsync(cancellationToken).ConfigureAwait(false)],
            ValidAlgorithms = asymmetric ? [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256] : [SecurityAlgorithms.HmacSha256],
            ValidateIssuerSigningKey = true,
            ValidateIssuer = current.JwtIssuer is not null,
            ValidIssuer = current.JwtIssuer,
            ValidateAudience = current.JwtAudience is not null,
            ValidAudience = current.JwtAudience,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            throw new AuthenticationException(result.Exception switch
            {
                SecurityTokenExpiredException => "the token has expired",
                SecurityTokenNotYetValidException => "the token is not valid yet (nbf is in the future)",
                SecurityTokenNoExpirationException => "the token has no expiry (exp)",
                SecurityTokenInvalidIssuerException => "the token's issuer is not accepted",
                SecurityTokenInvalidAudienceException => "the token's audience is not accepted",
                _ => "the token is not valid for this service",
            });
        }

        var userId = result.Claims.TryGetValue("user_id", out var u) ? u?.ToString() : null;
        var roleText = result.Claims.TryGetValue("role", out var r) ? r?.ToString() : null;
        if (string.IsNullOrEmpty(userId) || !RoleExtensions.TryParse(roleText, out var role))
        {
            throw new AuthenticationException("the token lacks a user_id or a role of viewer, operator or admin");
        }

        var expires = ((JsonWebToken)result.SecurityToken).ValidTo;
        return new AuthenticatedUser(userId, role, new DateTimeOffset(expires, TimeSpan.Zero), "jwt");
    }

    public AuthenticatedUser ValidateApiKey(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        foreach (var candidate in options.CurrentValue.ApiKeys)
        {
            var expected = Convert.FromHexString(candidate.Sha256);
            if (CryptographicOperations.FixedTimeEquals(hash, expected) && RoleExtensions.TryParse(candidate.Role, out var role))
            {
                return new AuthenticatedUser($"api-key:{candidate.Name}", role, null, "api_key");
            }
        }

        throw new AuthenticationException("the API key is not known to this service");
    }

    public async ValueTask<string> IssueAsync(string userId, Role role, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["user_id"] = userId,
                ["role"] = role.ToWire(),
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.ToUnixTimeSeconds(),
                ["exp"] = now.Add(ttl).ToUnixTimeSeconds(),
            },
            Issuer = options.CurrentValue.JwtIssuer,
            Audience = options.CurrentValue.JwtAudience,
            SigningCredentials = new SigningCredentials(await keys.GetAsync(cancellationToken).ConfigureAwait(false), SecurityAlgorithms.HmacSha256),
        };
        return _handler.CreateToken(descriptor);
    }

}
