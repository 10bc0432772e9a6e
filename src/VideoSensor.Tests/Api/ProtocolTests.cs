using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>The JSON-RPC transport and its errors, over a real WebSocket against the real host.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async ValueTask InitializeAsync() => _service = await TestService.StartAsync("server:\n  max_message_bytes: 4096\n");

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Ping_needs_no_authentication()
    {
        await using var client = await _service.ConnectAsync();

        var response = await client.CallAsync("ping", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("pong", response.EnsureSuccess().Result.GetString());
    }

    [Fact]
    public async Task Malformed_json_gets_parse_error_with_null_id_and_the_connection_lives()
    {
        await using var client = await _service.ConnectAsync();

        await client.SendRawAsync("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",", TestContext.Current.CancellationToken);
        var error = await client.NextOrphanAsync();

        Assert.Equal(-32700, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("id").ValueKind);
        AssertErrorData(error.GetProperty("error").GetProperty("data"));
        Assert.Equal("pong", (await client.CallAsync("ping", cancellationToken: TestContext.Current.CancellationToken)).Result.GetString());
    }

    [Theory]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}]", "batches")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"get_camera_status\",\"params\":[\"test0\"],\"id\":7}", "positional")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"method\":\"ping\",\"id\":7}", "jsonrpc")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":42,\"id\":7}", "method")]
    [InlineData("\"just a string\"", "object")]
    public async Task Invalid_requests_get_invalid_request(string message, string detail)
    {
        await using var client = await _service.ConnectAsync();

        await client.SendRawAsync(message, TestContext.Current.CancellationToken);
        var error = await client.NextOrphanAsync();

        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains(detail, error.GetProperty("error").GetProperty("data").GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_method_gets_method_not_found()
    {
        await using var client = await _service.ConnectAsync("admin");

        var response = await client.CallAsync("get_everything", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(-32601, response.ErrorCode);
        AssertErrorData(response.ErrorData);
    }

    [Fact]
    public async Task Oversize_message_is_refused_and_the_connection_still_answers()
    {
        await using var client = await _service.ConnectAsync();
        var huge = JsonSerializer.Serialize(new { jsonrpc = "2.0", method = "ping", @params = new { pad = new string('x', 20_000) }, id = 99 });

        await client.SendRawAsync(huge, TestContext.Current.CancellationToken);
        var error = await client.NextOrphanAsync();

        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(4096, error.GetProperty("error").GetProperty("data").GetProperty("max_message_bytes").GetInt32());
        Assert.Equal("pong", (await client.CallAsync("ping", cancellationToken: TestContext.Current.CancellationToken)).Result.GetString());
    }

    [Fact]
    public async Task A_notification_gets_no_reply()
    {
        await using var client = await _service.ConnectAsync();

        await client.NotifyAsync("ping", cancellationToken: TestContext.Current.CancellationToken);
        await client.NotifyAsync("no_such_method", cancellationToken: TestContext.Current.CancellationToken);
        var reply = await client.CallAsync("ping", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("pong", reply.Result.GetString());
        await Assert.ThrowsAsync<TimeoutException>(() => client.NextOrphanAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Binary_frames_are_refused()
    {
        await using var client = await _service.ConnectAsync();

        await client.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary, TestContext.Current.CancellationToken);
        var error = await client.NextOrphanAsync();

        Assert.Equal(-32600, error.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Wrong_token_is_refused_and_legacy_and_api_key_forms_work()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync();

        var bad = await client.CallAsync("authenticate", new { auth_token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoieCJ9.c2lnbmF0dXJl" }, ct);
        Assert.Equal(-32001, bad.ErrorCode);

        var legacy = await client.CallAsync("authenticate", new { token = await _service.TokenAsync("viewer"), auth_type = "jwt" }, ct);
        Assert.Equal("viewer", legacy.EnsureSuccess().Result.GetProperty("role").GetString());
        Assert.Equal(["view"], legacy.Result.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));

        var key = await client.CallAsync("authenticate", new { auth_token = ApiKeys.Admin }, ct);
        Assert.Equal("admin", key.EnsureSuccess().Result.GetProperty("role").GetString());
        Assert.Equal(["view", "control", "admin"], key.Result.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Authenticate_requires_a_token()
    {
        await using var client = await _service.ConnectAsync();

        var response = await client.CallAsync("authenticate", new { }, TestContext.Current.CancellationToken);

        Assert.Equal(-32602, response.ErrorCode);
        Assert.Equal("auth_token", response.ErrorData.GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_token_in_the_upgrade_authenticates_the_connection()
    {
        var token = await _service.TokenAsync("viewer");
        await using var client = await RpcTestClient.ConnectAsync(new Uri($"{_service.WebSocketUri}?token={token}"), cancellationToken: TestContext.Current.CancellationToken);

        var list = await client.CallAsync("get_camera_list", cancellationToken: TestContext.Current.CancellationToken);

        list.EnsureSuccess();
    }

    [Fact]
    public async Task A_bad_token_in_the_upgrade_is_refused()
    {
        await Assert.ThrowsAsync<WebSocketException>(() => RpcTestClient.ConnectAsync(new Uri($"{_service.WebSocketUri}?token=not-a-key"), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_foreign_browser_origin_is_refused()
    {
        var ex = await Assert.ThrowsAsync<WebSocketException>(() => RpcTestClient.ConnectAsync(_service.WebSocketUri, o => o.SetRequestHeader("Origin", "http://evil.example"), TestContext.Current.CancellationToken));

        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_failed_authentication_is_slowed_down()
    {
        await using var client = await _service.ConnectAsync();
        RpcResponse? last = null;
        for (var i = 0; i < 6; i++)
        {
            last = await client.CallAsync("authenticate", new { auth_token = $"wrong-key-{i}" }, TestContext.Current.CancellationToken);
        }

        Assert.Equal(-32040, last!.ErrorCode);
        Assert.True(last.ErrorData.GetProperty("retry_after_ms").GetInt64() > 0);
    }

    [Fact]
    public async Task A_slow_snapshot_does_not_block_a_ping_on_the_same_connection()
    {
        await using var client = await _service.ConnectAsync("operator");

        var snapshot = client.CallAsync("take_snapshot", new { device = "test0" }, TestContext.Current.CancellationToken);
        var ping = await client.CallAsync("ping", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("pong", ping.Result.GetString());
        Assert.False(snapshot.IsCompleted, "the ping should have been answered while ffmpeg was still running");
        (await snapshot).EnsureSuccess();
    }

    internal static void AssertErrorData(JsonElement data)
    {
        Assert.False(string.IsNullOrEmpty(data.GetProperty("reason").GetString()));
        Assert.False(string.IsNullOrEmpty(data.GetProperty("details").GetString()));
        Assert.False(string.IsNullOrEmpty(data.GetProperty("suggestion").GetString()));
    }
}

/// <summary>Expiry and rate limits, with time under the test's control.</summary>
public sealed class SessionLimitTests
{
    [Fact]
    public async Task An_expired_session_gets_authentication_required_on_its_next_call()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var service = await TestService.StartAsync(configureServices: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)), cancellationToken: ct);
        await using var client = await service.ConnectAsync();
        var auth = await client.CallAsync("authenticate", new { auth_token = await service.TokenAsync("viewer", TimeSpan.FromMinutes(5)) }, ct);
        var expiresAt = DateTimeOffset.Parse(auth.EnsureSuccess().Result.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), expiresAt.ToUnixTimeSeconds());
        (await client.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess();

        time.Advance(TimeSpan.FromMinutes(6));
        var response = await client.CallAsync("get_camera_list", cancellationToken: ct);

        Assert.Equal(-32001, response.ErrorCode);
        Assert.Contains("expired", response.ErrorData.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_past_the_rate_limit_get_rate_limited_with_retry_after()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync("server:\n  rate_limit_per_second: 2\n  rate_limit_burst: 3\n", cancellationToken: ct);
        await using var client = await service.ConnectAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.CallAsync("ping", cancellationToken: ct)));

        var limited = responses.Where(r => r.IsError).ToList();
        Assert.InRange(responses.Count(r => !r.IsError), 3, 5);
        Assert.All(limited, r =>
        {
            Assert.Equal(-32040, r.ErrorCode);
            Assert.InRange(r.ErrorData.GetProperty("retry_after_ms").GetInt64(), 1, 1000);
        });
    }
}
