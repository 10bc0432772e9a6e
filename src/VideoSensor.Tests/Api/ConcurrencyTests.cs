using System.Net.WebSockets;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>Many clients at once, each with its own connection, and the connection limit.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Five_hundred_clients_are_held_at_once_without_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        var clients = new List<RpcTestClient>();
        try
        {
            for (var batch = 0; batch < 10; batch++)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RpcTestClient.ConnectAsync(service.WebSocketUri, cancellationToken: ct))));
            }

            var auth = await Task.WhenAll(clients.Select(c => c.CallAsync("authenticate", new { auth_token = ApiKeys.Viewer }, ct)));
            Assert.All(auth, r => r.EnsureSuccess());
            var lists = await Task.WhenAll(clients.Select(c => c.CallAsync("get_camera_list", cancellationToken: ct)));
            Assert.All(lists, r => Assert.Equal(1, r.EnsureSuccess().Result.GetProperty("total").GetInt32()));

            await using var admin = await service.ConnectAsync("admin", ct);
            var metrics = (await admin.CallAsync("get_metrics", cancellationToken: ct)).EnsureSuccess().Result;
            Assert.Equal(501, metrics.GetProperty("stream_metrics").GetProperty("websocket_connections").GetInt32());
            Assert.All(clients, c => Assert.Equal(WebSocketState.Open, c.State));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task Connections_past_the_limit_are_refused_and_a_freed_slot_is_reused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync("server:\n  max_connections: 3\n", cancellationToken: ct);
        var held = new List<RpcTestClient>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await service.ConnectAsync(cancellationToken: ct));
            await held[^1].CallAsync("ping", cancellationToken: ct);
        }

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => RpcTestClient.ConnectAsync(service.WebSocketUri, cancellationToken: ct));
        Assert.Contains("503", refused.Message, StringComparison.Ordinal);

        await held[0].DisposeAsync();
        held.RemoveAt(0);
        RpcTestClient? again = null;
        for (var attempt = 0; again is null && attempt < 50; attempt++)
        {
            try
            {
                again = await RpcTestClient.ConnectAsync(service.WebSocketUri, cancellationToken: ct);
            }
            catch (WebSocketException)
            {
                // The server notices the close asynchronously; no event reaches the client for that.
                await Task.Delay(20, ct);
            }
        }

        Assert.NotNull(again);
        Assert.Equal("pong", (await again.CallAsync("ping", cancellationToken: ct)).Result.GetString());
        await again.DisposeAsync();
        foreach (var client in held)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_that_never_reads_does_not_delay_notifications_to_others()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync("server:\n  notification_queue: 16\n", cancellationToken: ct);
        await using var fast = await service.ConnectAsync("operator", ct);
        (await fast.CallAsync("subscribe_events", new { topics = new[] { "snapshot.taken" } }, ct)).EnsureSuccess();

        // A raw socket that authenticates, subscribes, then stops reading.
        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(new Uri($"{service.WebSocketUri}?token={await service.TokenAsync("viewer")}"), ct);
        await stalled.SendAsync(System.Text.Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe_events\",\"params\":{\"topics\":[\"snapshot.taken\"]},\"id\":1}"), WebSocketMessageType.Text, true, ct);

        for (var i = 0; i < 5; i++)
        {
            (await fast.CallAsync("take_snapshot", new { device = "test0", max_width = 64 }, ct)).EnsureSuccess();
            await fast.NextNotificationAsync("snapshot.taken", TimeSpan.FromSeconds(5));
        }
    }
}
