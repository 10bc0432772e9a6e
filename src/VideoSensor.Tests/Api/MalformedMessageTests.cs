using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>
/// Messages that once dropped their own connection with a stack trace in the log (duplicate keys, nulls
/// where a value is needed), invalid UTF-8, and the rate budget that malformed messages now spend too.
/// </summary>
public sealed class MalformedMessageTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async ValueTask InitializeAsync() =>
        _service = await TestService.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1,\"id\":2}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"method\":\"get_status\",\"id\":3}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"get_camera_status\",\"params\":{\"device\":\"test0\",\"device\":\"x\"},\"id\":4}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"get_camera_status\",\"params\":{},\"params\":{\"device\":\"test0\"},\"id\":5}")]
    public async Task Duplicate_keys_are_an_invalid_request_and_the_connection_lives(string message)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync("admin", ct);

        await client.SendRawAsync(message, ct);
        var reply = await client.NextOrphanAsync();

        Assert.Equal(-32600, reply.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("repeats a key", reply.GetProperty("error").GetProperty("data").GetProperty("details").GetString(), StringComparison.Ordinal);
        await AssertAliveAndQuietAsync(client);
    }

    [Theory]
    [InlineData("add_external_stream", "{\"stream_url\":null,\"stream_name\":\"x\"}", "stream_url")]
    [InlineData("remove_external_stream", "{\"stream_url\":null}", "stream_url")]
    [InlineData("subscribe_events", "{\"topics\":null}", "topics")]
    [InlineData("subscribe_events", "{\"topics\":[null]}", "topics")]
    [InlineData("subscribe_events", "{\"topics\":[\"camera.status\",null]}", "topics")]
    [InlineData("get_camera_status", "{\"device\":null}", "device")]
    [InlineData("take_snapshot", "{\"device\":null}", "device")]
    [InlineData("set_retention_policy", "{\"policy_type\":null,\"enabled\":true}", "policy_type")]
    [InlineData("set_retention_policy", "{\"policy_type\":\"age\",\"enabled\":null}", "enabled")]
    [InlineData("set_camera_control", "{\"device\":null,\"control\":\"brightness\",\"value\":1}", "device")]
    [InlineData("delete_snapshot", "{\"filename\":null}", "filename")]
    public async Task Nulls_get_invalid_params_naming_the_param_and_the_connection_lives(string method, string parametersJson, string param)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync("admin", ct);

        var response = await client.CallAsync(method, JsonDocument.Parse(parametersJson).RootElement, ct);

        Assert.Equal(-32602, response.ErrorCode);
        Assert.Equal(param, response.ErrorData.GetProperty("param").GetString());
        await AssertAliveAndQuietAsync(client);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"get_camera_status\",\"params\":{\"device\":\"\\ud800\"},\"id\":1}", -32602)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"pi\\udfffng\",\"id\":2}", -32600)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe_events\",\"params\":{\"topics\":[\"\\ud83d\"]},\"id\":3}", -32602)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"take_snapshot\",\"params\":{\"device\":\"test0\",\"filename\":\"a\\udc00.jpg\"},\"id\":4}", -32602)]
    public async Task Text_that_is_not_valid_unicode_gets_its_error_and_the_connection_lives(string message, int code)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await _service.ConnectAsync("admin", ct);

        await client.SendRawAsync(message, ct);
        var reply = await client.NextOrphanAsync();

        Assert.Equal(code, reply.GetProperty("error").GetProperty("code").GetInt32());
        await AssertAliveAndQuietAsync(client);
    }

    /// <summary>
    /// Raw invalid UTF-8 in a text frame never reaches JSON-RPC: RFC 6455 §8.1 says the endpoint MUST fail the
    /// connection, and the WebSocket layer does so with 1007. The service logs no stack trace for it and
    /// other connections carry on.
    /// </summary>
    [Fact]
    public async Task Raw_invalid_utf8_in_a_text_frame_is_closed_with_1007_as_rfc_6455_requires()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bystander = await _service.ConnectAsync("admin", ct);
        await using var client = await _service.ConnectAsync("admin", ct);

        await client.SendBytesAsync([.. "{\"jsonrpc\":\"2.0\",\"method\":\"pi"u8, 0xff, 0xfe, .. "ng\",\"id\":2}"u8], WebSocketMessageType.Text, ct);
        await Assert.ThrowsAsync<System.Threading.Channels.ChannelClosedException>(() => client.NextOrphanAsync());

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
        await AssertAliveAndQuietAsync(bystander);
    }

    [Fact]
    public async Task Malformed_messages_spend_the_rate_budget_and_notifications_over_it_get_no_reply()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync("server:\n  rate_limit_per_second: 1\n  rate_limit_burst: 4\n", cancellationToken: ct);
        await using var client = await service.ConnectAsync(cancellationToken: ct);

        for (var i = 0; i < 4; i++)
        {
            await client.SendRawAsync("{not json", ct);
            Assert.Equal(-32700, (await client.NextOrphanAsync()).GetProperty("error").GetProperty("code").GetInt32());
        }

        // The budget is spent by garbage alone: the next garbage and the next request are both rate-limited.
        await client.SendRawAsync("{still not json", ct);
        var limited = await client.NextOrphanAsync();
        Assert.Equal(-32040, limited.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(limited.GetProperty("error").GetProperty("data").GetProperty("retry_after_ms").GetInt64() > 0);

        await client.NotifyAsync("ping", cancellationToken: ct);
        await client.NotifyAsync("get_camera_list", cancellationToken: ct);
        var request = await client.CallAsync("ping", cancellationToken: ct);
        Assert.Equal(-32040, request.ErrorCode);
        await Assert.ThrowsAsync<TimeoutException>(() => client.NextOrphanAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(WebSocketState.Open, client.State);
    }

    private async Task AssertAliveAndQuietAsync(RpcTestClient client)
    {
        Assert.Equal("pong", (await client.CallAsync("ping", cancellationToken: TestContext.Current.CancellationToken)).Result.GetString());
        Assert.Equal(WebSocketState.Open, client.State);
        Assert.DoesNotContain(_service.Logs.Lines, l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
    }
}

/// <summary><c>server.max_connections</c> holds under a burst: the slot is taken atomically before the upgrade.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task A_burst_of_connections_gets_exactly_max_connections_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        const int max = 25;
        await using var service = await TestService.StartAsync($"server:\n  max_connections: {max}\n", cancellationToken: ct);
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 150).Select(_ => Task.Run(async () =>
        {
            start.Wait(ct);
            try
            {
                return await RpcTestClient.ConnectAsync(service.WebSocketUri, cancellationToken: ct);
            }
            catch (WebSocketException)
            {
                return null;
            }
        }, ct)).ToList();
        start.Set();
        var clients = await Task.WhenAll(attempts);
        try
        {
            Assert.Equal(max, clients.Count(c => c is not null));
            var pongs = await Task.WhenAll(clients.Where(c => c is not null).Select(c => c!.CallAsync("ping", cancellationToken: ct)));
            Assert.All(pongs, p => Assert.Equal("pong", p.Result.GetString()));
        }
        finally
        {
            foreach (var client in clients.Where(c => c is not null))
            {
                await client!.DisposeAsync();
            }
        }

        // Slots come back when connections close (the server side notices the close a moment later).
        var again = false;
        for (var i = 0; i < 100 && !again; i++)
        {
            try
            {
                await using var c = await RpcTestClient.ConnectAsync(service.WebSocketUri, cancellationToken: ct);
                again = true;
            }
            catch (WebSocketException)
            {
                await Task.Delay(100, ct);
            }
        }

        Assert.True(again);
    }
}
