using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VideoSensor.Configuration;
using VideoSensor.Security;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Security;

/// <summary>
/// RS256 and ES256 tokens checked against keys from a real JWKS endpoint, including key rotation, the rate limit on
/// fetches an unknown key id causes, and an issuer that stops answering (IdentityModel's configuration manager keeps
/// the keys; these tests pin what the service relies on it for).
/// </summary>
public sealed class JwksTests : IAsyncLifetime
{
    private readonly RSA _rsaA = RSA.Create(2048);
    private readonly RSA _rsaB = RSA.Create(2048);
    private readonly RSA _rsaUnpublished = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private WebApplication _issuer = null!;
    private string _jwks = "";
    private int _fetches;
    private volatile bool _issuerDown;
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
            return _issuerDown ? Results.StatusCode(500) : Results.Text(_jwks, "application/json");
        });
        await _issuer.StartAsync();
        Publish(("a", new RsaSecurityKey(_rsaA)), ("e", new ECDsaSecurityKey(_ec)));
    }

    public async ValueTask DisposeAsync()
    {
        await _issuer.DisposeAsync();
        _rsaA.Dispose();
        _rsaB.Dispose();
        _rsaUnpublished.Dispose();
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

    /// <param name="unknownKeyRefetch">Shorter than the service's 30 s so the rate limit can be seen passing.</param>
    private Task<TestService> StartServiceAsync(TimeSpan? unknownKeyRefetch = null) => TestService.StartAsync(
        $"security:\n  jwks_url: http://127.0.0.1:{_issuerPort}/jwks.json\n",
        s =>
        {
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
            s.Replace(ServiceDescriptor.Singleton(sp => new JwksKeySource(
                sp.GetRequiredService<IOptions<SecurityOptions>>(), sp.GetRequiredService<ILogger<JwksKeySource>>(), unknownKeyRefetch)));
        },
        cancellationToken: TestContext.Current.CancellationToken);

    private async Task<RpcResponse> AuthenticateAsync(RpcTestClient client, SecurityKey key, string kid, string algorithm = SecurityAlgorithms.RsaSha256) =>
        await client.CallAsync("authenticate", new { auth_token = Token(key, kid, algorithm, "viewer") }, TestContext.Current.CancellationToken);

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
        (await AuthenticateAsync(client, new RsaSecurityKey(_rsaA), "a")).EnsureSuccess();

        Publish(("b", new RsaSecurityKey(_rsaB)));
        var rotated = await AuthenticateAsync(client, new RsaSecurityKey(_rsaB), "b");

        rotated.EnsureSuccess();
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task Unknown_key_ids_fetch_the_keys_again_at_most_once_per_interval()
    {
        // Long enough that two authentications fit in it on a loaded machine (2 s did not, once).
        var interval = TimeSpan.FromSeconds(6);
        await using var service = await StartServiceAsync(interval);
        await using var client = await service.ConnectAsync();
        (await AuthenticateAsync(client, new RsaSecurityKey(_rsaA), "a")).EnsureSuccess();
        Publish(("a", new RsaSecurityKey(_rsaA)), ("b", new RsaSecurityKey(_rsaB)));
        await Task.Delay(interval + TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        (await AuthenticateAsync(client, new RsaSecurityKey(_rsaB), "b")).EnsureSuccess();
        var afterRotation = _fetches;
        // Signed with a key the issuer never published: a known signature under an unknown id would still pass,
        // since the handler tries every key when the id matches none.
        var unknown1 = await AuthenticateAsync(client, new RsaSecurityKey(_rsaUnpublished), "x");
        var unknown2 = await AuthenticateAsync(client, new RsaSecurityKey(_rsaUnpublished), "y");
        var withinInterval = _fetches;
        await Task.Delay(interval + TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        var unknown3 = await AuthenticateAsync(client, new RsaSecurityKey(_rsaUnpublished), "z");

        Assert.Equal(2, afterRotation);
        Assert.Equal(2, withinInterval);
        Assert.Equal(3, _fetches);
        Assert.All([unknown1, unknown2, unknown3], r => Assert.Equal(-32001, r.ErrorCode));
    }

    [Fact]
    public async Task When_the_issuer_stops_answering_the_fetched_keys_stay_in_use()
    {
        var interval = TimeSpan.FromSeconds(1);
        await using var service = await StartServiceAsync(interval);
        await using var client = await service.ConnectAsync();
        var token = Token(new RsaSecurityKey(_rsaA), "a", SecurityAlgorithms.RsaSha256, "viewer");
        (await client.CallAsync("authenticate", new { auth_token = token }, TestContext.Current.CancellationToken)).EnsureSuccess();

        _issuerDown = true;
        await Task.Delay(interval + TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        var unknown = await AuthenticateAsync(client, new RsaSecurityKey(_rsaUnpublished), "b");
        var known = await client.CallAsync("authenticate", new { auth_token = token }, TestContext.Current.CancellationToken);

        Assert.Equal(-32001, unknown.ErrorCode);
        known.EnsureSuccess();
        Assert.Equal(2, _fetches);
        Assert.Contains("Could not fetch the JWKS (HTTP 500)", service.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token, service.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_the_issuer_first_answers_tokens_are_refused_with_the_reason_and_then_accepted()
    {
        _issuerDown = true;
        await using var service = await StartServiceAsync();
        await using var client = await service.ConnectAsync();

        var early = await AuthenticateAsync(client, new RsaSecurityKey(_rsaA), "a");
        _issuerDown = false;
        var keys = service.Services.GetRequiredService<JwksKeySource>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyList<SecurityKey> fetched = [];
        while (fetched.Count == 0 && DateTime.UtcNow < deadline)
        {
            // The first fetch is tried again after a growing, jittered pause (under 1 s, under 2 s, …); asked meanwhile,
            // the source refuses at once. Asked here rather than through authenticate, which locks a connection out after 5 failures.
            await Task.Delay(200, TestContext.Current.CancellationToken);
            try
            {
                fetched = await keys.GetKeysAsync("a", TestContext.Current.CancellationToken);
            }
            catch (AuthenticationException)
            {
            }
        }

        var late = await AuthenticateAsync(client, new RsaSecurityKey(_rsaA), "a");

        Assert.Equal(-32001, early.ErrorCode);
        Assert.Contains("could not be fetched yet", early.ErrorData.GetProperty("details").GetString(), StringComparison.Ordinal);
        late.EnsureSuccess();
        Assert.InRange(_fetches, 2, 6);
    }

    [Fact]
    public void The_service_program_carries_the_switch_that_makes_key_fetches_blocking()
    {
        // Read by IdentityModel once, at first use: only a runtimeconfig entry is sure to come first.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "VideoSensor.runtimeconfig.json")));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty(JwksKeySource.BlockingSwitch).GetBoolean());
    }

    [Theory]
    [InlineData("http://idp.example/jwks.json", "must be an https URL (http only for a loopback address)")]
    [InlineData("ftp://127.0.0.1/jwks.json", "must be an https URL (http only for a loopback address)")]
    public void A_jwks_url_that_is_not_https_is_refused_at_start(string url, string error)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.yaml");
        File.WriteAllText(path, $"security:\n  jwks_url: {url}\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, readEnvironment: false));

        Assert.Contains($"security.jwks_url ({path}:2): {error}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://idp.example/jwks.json")]
    [InlineData("http://127.0.0.1:9/jwks.json")]
    [InlineData("http://localhost:9/jwks.json")]
    public void Https_and_loopback_jwks_urls_are_accepted(string url)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("config.yaml");
        File.WriteAllText(path, $"security:\n  jwks_url: {url}\n");

        Assert.Equal(url, ConfigLoader.Load(path, readEnvironment: false).Options.Security.JwksUrl);
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
