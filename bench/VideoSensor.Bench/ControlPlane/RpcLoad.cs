using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace VideoSensor.Bench.ControlPlane;

/// <summary>
/// The load client: WebSocket connections that each send one JSON-RPC request and wait for its answer, in a closed
/// loop (the next request as soon as the answer is in) or paced (one request per interval per connection).
/// </summary>
internal static class RpcLoad
{
    public static readonly byte[] Ping = """{"jsonrpc":"2.0","method":"ping","id":1}"""u8.ToArray();
    public static readonly byte[] CameraList = """{"jsonrpc":"2.0","method":"get_camera_list","id":2}"""u8.ToArray();

    internal sealed record Result(List<double> LatenciesMs, long Requests, double Seconds, long Errors)
    {
        public double RequestsPerSecond => Requests / Seconds;
    }

    /// <summary>Opens <paramref name="count"/> connections; with a token each is authenticated first (and checked to be).</summary>
    public static async Task<List<ClientWebSocket>> OpenAsync(Uri url, int count, string? token, CancellationToken ct)
    {
        var sockets = new List<ClientWebSocket>(count);
        // In batches: a thousand handshakes at once would measure the accept queue, not the server.
        foreach (var batch in Enumerable.Range(0, count).Chunk(64))
        {
            sockets.AddRange(await Task.WhenAll(batch.Select(async _ =>
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(url, ct);
                if (token is not null)
                {
                    var buffer = new byte[4096];
                    var length = await RoundTripAsync(socket, Authenticate(token), buffer, ct);
                    if (buffer.AsSpan(0, length).IndexOf("\"authenticated\":true"u8) < 0)
                    {
                        throw new InvalidOperationException($"{url}: authenticate failed: {Encoding.UTF8.GetString(buffer, 0, length)}");
                    }
                }

                return socket;
            })));
        }

        return sockets;
    }

    public static void Close(IEnumerable<ClientWebSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            // Aborted, not closed: the floor does no close handshake, and the figures are already taken.
            socket.Abort();
            socket.Dispose();
        }
    }

    /// <summary>Every connection sends <paramref name="message"/> until <paramref name="duration"/> is over.</summary>
    public static async Task<Result> RunAsync(IReadOnlyList<ClientWebSocket> sockets, byte[] message, TimeSpan duration, TimeSpan? interval, CancellationToken ct)
    {
        var latencies = new List<double>();
        long total = 0, errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(sockets.Select(async socket =>
        {
            var buffer = new byte[16 * 1024];
            var local = new List<double>();
            var failed = 0;
            // Paced connections start spread over one interval, so their requests do not arrive in lock-step.
            if (interval is { } spread)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * spread.TotalMilliseconds), ct);
            }

            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t = Stopwatch.GetTimestamp();
                var length = await RoundTripAsync(socket, message, buffer, ct);
                var took = Stopwatch.GetElapsedTime(t);
                local.Add(took.TotalMilliseconds);
                if (buffer.AsSpan(0, length).IndexOf("\"result\""u8) < 0)
                {
                    failed++;
                }

                if (interval is { } pause && pause > took)
                {
                    await Task.Delay(pause - took, ct);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(local);
                total += local.Count;
                errors += failed;
            }
        }));
        return new Result(latencies, total, Stopwatch.GetElapsedTime(started).TotalSeconds, errors);
    }

    /// <summary>Waits until <paramref name="url"/> answers a ping (a server whose readiness is not otherwise known).</summary>
    public static async Task WaitForPongAsync(Uri url, Func<bool> exited, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (exited())
            {
                throw new InvalidOperationException($"{url}: the process exited");
            }

            try
            {
                using var socket = new ClientWebSocket();
                await socket.ConnectAsync(url, ct);
                await RoundTripAsync(socket, Ping, new byte[4096], ct);
                socket.Abort();
                return;
            }
            catch (WebSocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private static byte[] Authenticate(string token) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["jsonrpc"] = "2.0",
        ["method"] = "authenticate",
        ["params"] = new Dictionary<string, string> { ["auth_token"] = token },
        ["id"] = 0,
    });

    /// <summary>Sends one request and reads its whole answer into <paramref name="buffer"/> (cut at its size); returns the length.</summary>
    private static async Task<int> RoundTripAsync(ClientWebSocket socket, byte[] message, byte[] buffer, CancellationToken ct)
    {
        await socket.SendAsync(message, WebSocketMessageType.Text, true, ct);
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
            // A longer answer keeps overwriting the buffer's tail: its start is what the checks read.
            length = Math.Min(length + result.Count, buffer.Length - 1024);
        }
        while (!result.EndOfMessage);
        return length;
    }
}
