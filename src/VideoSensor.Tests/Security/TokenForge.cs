using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VideoSensor.Tests.Security;

/// <summary>HS256 tokens built the way an attacker (or a test) would, outside the service.</summary>
internal static class TokenForge
{
    internal static string Forge(byte[] key, string role, DateTimeOffset? notBefore = null, DateTimeOffset? expires = null, string? issuer = null, string? audience = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["user_id"] = "forger",
            ["role"] = role,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
        };
        if (notBefore is { } nbf)
        {
            claims["nbf"] = nbf.ToUnixTimeSeconds();
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
