using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using VideoSensor.Secrets;

namespace VideoSensor.Security;

/// <summary>The <c>security:</c> section.</summary>
internal sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "security";

    /// <summary>The HS256 signing secret, by reference. Required unless <see cref="DevMode"/> is on.</summary>
    [ConfigurationKeyName("jwt_secret")] public SecretReference? JwtSecret { get; set; }

    /// <summary>
    /// Development mode: with no <see cref="JwtSecret"/>, a random secret is generated once and kept in the
    /// storage root, so <c>token</c> can mint tokens for a local run. Never a built-in secret.
    /// </summary>
    [ConfigurationKeyName("dev_mode")] public bool DevMode { get; set; }

    /// <summary>A JWKS URL for RS256/ES256 tokens from an identity provider (used alongside or instead of the HS256 secret).</summary>
    [ConfigurationKeyName("jwks_url"), Url] public string? JwksUrl { get; set; }

    /// <summary>How often the keys are fetched again; IdentityModel's configuration manager allows no less than 5 minutes.</summary>
    [ConfigurationKeyName("jwks_refresh_minutes"), Range(5, 1440)] public int JwksRefreshMinutes { get; set; } = 10;

    [ConfigurationKeyName("jwt_issuer")] public string? JwtIssuer { get; set; }
    [ConfigurationKeyName("jwt_audience")] public string? JwtAudience { get; set; }

    /// <summary>Browser origins allowed to open the WebSocket; <c>*</c> allows any. Native clients send no Origin.</summary>
    [ConfigurationKeyName("cors_origins")] public List<string> CorsOrigins { get; set; } = [];

    /// <summary>API keys, stored as SHA-256 hashes (hex) with their role.</summary>
    [ConfigurationKeyName("api_keys")] public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    [ConfigurationKeyName("default_token_ttl_minutes"), Range(1, 525_600)] public int DefaultTokenTtlMinutes { get; set; } = 60 * 24;

    /// <summary>Failed authentications a client address (or API-key prefix) may make in a row, across all its connections and REST calls.</summary>
    [ConfigurationKeyName("auth_failure_burst"), Range(1, 10_000)] public int AuthFailureBurst { get; set; } = 20;

    /// <summary>How fast that budget comes back: failures per minute an address may go on making for ever.</summary>
    [ConfigurationKeyName("auth_failures_per_minute"), Range(1, 10_000)] public int AuthFailuresPerMinute { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JwtSecret is null && !DevMode && string.IsNullOrEmpty(JwksUrl))
        {
            yield return new ValidationResult("is required (a {secret, key} reference) unless security.jwks_url is set or security.dev_mode is true", [nameof(JwtSecret)]);
        }

        // Keys fetched over plain http could be swapped by anyone on the path; a local issuer on loopback is fine.
        if (Uri.TryCreate(JwksUrl, UriKind.Absolute, out var jwks) && jwks.Scheme != Uri.UriSchemeHttps && !(jwks.Scheme == Uri.UriSchemeHttp && jwks.IsLoopback))
        {
            yield return new ValidationResult("must be an https URL (http only for a loopback address)", [nameof(JwksUrl)]);
        }
    }
}

/// <summary>One API key: its SHA-256 (hex), a name for logs, and its role.</summary>
internal sealed class ApiKeyOptions
{
    [ConfigurationKeyName("name"), Required] public string Name { get; set; } = "";

    [ConfigurationKeyName("sha256"), Required, RegularExpression("^[0-9a-fA-F]{64}$", ErrorMessage = "must be 64 hex digits (sha256 of the key)")]
    public string Sha256 { get; set; } = "";

    [ConfigurationKeyName("role"), Required, RegularExpression("^(viewer|operator|admin)$", ErrorMessage = "must be viewer, operator or admin")]
    public string Role { get; set; } = "viewer";
}
