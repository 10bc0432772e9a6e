using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Security;

/// <summary>RS256 and ES256 tokens checked against keys from a real JWKS endpoint, including key rotation.</summary>
public sealed class JwksTests : IAsyncLifetime
{
    private readonly RSA _rsaA = RSA.Create(2048);
    private readonly RSA _rsaB = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private WebApplication _issuer = null!;
    private string _jwks = "";
    private int _fetches;
    private int _issuerPort;

    public async ValueTask InitializeAsync()
    {
        _issuerPort = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_issuerPort}");
        _issuer = builder.Build();
        _issuer.MapGet("/jwks.json", () =>
        {
            Interlocked.Increment(ref _fetches);
            return Results.Text(_jwks, "application/json");
        });
        await _issuer.StartAsync();
        Publish(("a", new RsaSecurityKey(_rsaA)), ("e", new ECDsaSecurityKey(_ec)));
    }

    public async ValueTask DisposeAsync()
    {
        await _issuer.DisposeAsync();
        _rsaA.Dispose();
        _rsaB.Dispose();
        _ec.Dispose();
    }

    private void Publish(params (string Kid, AsymmetricSecurityKey Key)[] keys)
    {
        var jwks = keys.Select(k =>
        {
            var jwk = k.Key is RsaSecurityKey rsa ? JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false)))
                : JsonWebKeyConverter.ConvertFromECDsaSecurityKey((ECDsaSecurityKey)k.Key);
            return new Dictionary<string, object?>
            {
                ["kty"] = jwk.Kty, ["kid"] = k.Kid, ["use"] = "sig", ["n"] = jwk.N, ["e"] = jwk.E,
                ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y,
            }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        });
        _jwks = JsonSerializer.Serialize(new { keys = jwks });
    }

    private string Token(SecurityKey key, string kid, string algorithm, string role)
    {
        key.KeyId = kid;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["user_id"] = "idp-user",
                ["role"] = role,
                ["iat"] = _time.GetUtcNow().ToUnixTimeSeconds(),
                ["exp"] = _time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds(),
            },
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    private Task<TestService> StartServiceAsync() => TestService.StartAsync(
        $"security:\n  jwks_url: http://127.0.0.1:{_issuerPort}/jwks.json\n",
        s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)),
        cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Rs256_and_es256_tokens_from_the_jwks_authenticate()
    {
        await using var service = await StartServiceAsync();
        await using var client = await service.ConnectAsync();

        var rs = await client.CallAsync("authenticate", new { auth_token = Token(new RsaSecurityKey(_rsaA), "a", SecurityAlgorithms.RsaSha256, "operator") }, TestContext.Current.CancellationToken);
        var es = await client.CallAsync("authenticate", new { auth_token = Token(new ECDsaSecurityKey(_ec), "e", SecurityAlgorithms.EcdsaSha256, "admin") }, TestContext.Current.CancellationToken);

        Assert.Equal("operator", rs.EnsureSuccess().Result.GetProperty("role").GetString());
        Assert.Equal("admin", es.EnsureSuccess().Result.GetProperty("role").GetString());
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task A_token_signed_by_an_unpublished_key_is_refused()
    {
        await using var service = await StartServiceAsync();
        await using var client = await service.ConnectAsync();

        var forged = await client.CallAsync("authenticate", new { auth_token = Token(new RsaSecurityKey(_rsaB), "a", SecurityAlgorithms.RsaSha256, "admin") }, TestContext.Current.CancellationToken);

        Assert.Equal(-32001, forged.ErrorCode);
    }

    [Fact]
    public async Task A_rotated_key_is_fetched_when_a_token_names_it()
    {
        await using var service = await StartServiceAsync();
        await using var client = await service.ConnectAsync();
        (await client.CallAsync("authenticate", new { auth_token = Token(new RsaSecurityKey(_rsaA), "a", SecurityAlgorithms.RsaSha256, "viewer") }, TestContext.Current.CancellationToken)).EnsureSuccess();

        Publish(("b", new RsaSecurityKey(_rsaB)));
        _time.Advance(TimeSpan.FromSeconds(31));
        var rotated = await client.CallAsync("authenticate", new { auth_token = Token(new RsaSecurityKey(_rsaB), "b", SecurityAlgorithms.RsaSha256, "viewer") }, TestContext.Current.CancellationToken);

        rotated.EnsureSuccess();
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task Without_a_secret_or_dev_mode_hs256_tokens_are_refused()
    {
        await using var service = await TestService.StartAsync(
            $"security:\n  dev_mode: false\n  jwks_url: http://127.0.0.1:{_issuerPort}/jwks.json\n", cancellationToken: TestContext.Current.CancellationToken);
        await using var client = await service.ConnectAsync();
        using var hmac = new HMACSHA256(RandomNumberGenerator.GetBytes(32));

        var response = await client.CallAsync("authenticate", new { auth_token = Token(new SymmetricSecurityKey(hmac.Key), "h", SecurityAlgorithms.HmacSha256, "admin") }, TestContext.Current.CancellationToken);

        Assert.Equal(-32001, response.ErrorCode);
        Assert.Contains("jwt_secret", response.ErrorData.GetProperty("details").GetString(), StringComparison.Ordinal);
    }
}
