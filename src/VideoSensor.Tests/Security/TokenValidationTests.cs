using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Security;

/// <summary>
/// Tokens go through the library's validator: exp, nbf, issuer and audience, with a small clock skew; and a
/// failed re-authentication leaves the connection with no role at all.
/// </summary>
public sealed class TokenValidationTests : IAsyncLifetime
{
    private const string Issuer = "https://issuer.test";
    private const string Audience = "videosensor-test";
    private TestService _service = null!;
    private byte[] _key = [];

    public async ValueTask InitializeAsync()
    {
        _service = await TestService.StartAsync($"security:\n  jwt_issuer: {Issuer}\n  jwt_audience: {Audience}\n", cancellationToken: TestContext.Current.CancellationToken);
        await _service.TokenAsync("viewer");
        _key = Convert.FromHexString((await File.ReadAllTextAsync(Path.Combine(_service.StorageRoot, "state", "dev-jwt-secret"))).Trim());
    }

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    private string Token(DateTimeOffset? nbf = null, DateTimeOffset? exp = null, string issuer = Issuer, string audience = Audience, string role = "admin") =>
        TokenForge.Forge(_key, role, nbf, exp, issuer, audience);

    [Fact]
    public async Task A_token_not_valid_yet_is_refused_and_one_within_the_skew_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync(cancellationToken: ct);

        var early = await client.CallAsync("authenticate", new { auth_token = Token(nbf: DateTimeOffset.UtcNow.AddMinutes(10)) }, ct);
        Assert.Equal(-32001, early.ErrorCode);
        Assert.Contains("not valid yet", early.ErrorData.GetProperty("details").GetString(), StringComparison.Ordinal);

        (await client.CallAsync("authenticate", new { auth_token = Token(nbf: DateTimeOffset.UtcNow.AddSeconds(10)) }, ct)).EnsureSuccess();
    }

    [Fact]
    public async Task Expired_wrong_issuer_and_wrong_audience_tokens_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync(cancellationToken: ct);
        (await client.CallAsync("authenticate", new { auth_token = Token() }, ct)).EnsureSuccess();

        var expired = await client.CallAsync("authenticate", new { auth_token = Token(exp: DateTimeOffset.UtcNow.AddMinutes(-5)) }, ct);
        Assert.Contains("expired", expired.ErrorData.GetProperty("details").GetString(), StringComparison.Ordinal);
        var issuer = await client.CallAsync("authenticate", new { auth_token = Token(issuer: "https://elsewhere.test") }, ct);
        Assert.Contains("issuer", issuer.ErrorData.GetProperty("details").GetString(), StringComparison.Ordinal);
        var audience = await client.CallAsync("authenticate", new { auth_token = Token(audience: "another-service") }, ct);
        Assert.Contains("audience", audience.ErrorData.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.All([expired, issuer, audience], r => Assert.Equal(-32001, r.ErrorCode));
    }

    [Theory]
    [InlineData("wrong api key")]
    [InlineData("expired token")]
    public async Task A_failed_re_authentication_drops_the_role_the_connection_had(string failure)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync(cancellationToken: ct);
        (await client.CallAsync("authenticate", new { auth_token = Token() }, ct)).EnsureSuccess();
        (await client.CallAsync("get_status", cancellationToken: ct)).EnsureSuccess();

        var credential = failure == "expired token" ? Token(exp: DateTimeOffset.UtcNow.AddMinutes(-5)) : "not-a-key-" + Guid.NewGuid().ToString("N");
        Assert.Equal(-32001, (await client.CallAsync("authenticate", new { auth_token = credential }, ct)).ErrorCode);

        Assert.Equal(-32001, (await client.CallAsync("get_status", cancellationToken: ct)).ErrorCode);
        Assert.Equal(-32001, (await client.CallAsync("get_camera_list", cancellationToken: ct)).ErrorCode);
        Assert.Equal("pong", (await client.CallAsync("ping", cancellationToken: ct)).Result.GetString());
    }
}
