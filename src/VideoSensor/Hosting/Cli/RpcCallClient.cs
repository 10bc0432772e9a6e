using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoSensor.Hosting.Cli;

/// <summary>
/// The smallest JSON-RPC 2.0 client over WebSocket: one connection, requests one at a time, the answer
/// with the request's id (notifications in between are skipped). For the <c>call</c> command.
/// </summary>
internal sealed class RpcCallClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private long _nextId;

    public static async Task<RpcCallClient> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = new RpcCallClient();
        try
        {
            await client._socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends one request and returns the whole response object (with <c>result</c> or <c>error</c>).</summary>
    public async Task<JsonObject> CallAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["id"] = id };
        if (parameters is not null)
        {
            request["params"] = parameters.DeepClone();
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var message = await ReceiveAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new WebSocketException($"the service closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription})".TrimEnd());
            if (JsonNode.Parse(message) is not JsonObject response)
            {
                continue;
            }

            if (response["id"] is JsonValue answered && answered.TryGetValue<long>(out var answeredId) && answeredId == id)
            {
                return response;
            }

            // An error with a null id answers a request the service could not read (JSON-RPC 2.0, 5.1): ours.
            // Anything else (a notification) is not this call's answer.
            if (response["id"] is null && response["method"] is null && response["error"] is not null)
            {
                return response;
            }
        }
    }

    private async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var result = await _socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer.WrittenSpan);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The answer is in; a close the service does not acknowledge changes nothing.
            }
        }

        _socket.Dispose();
    }
}
