using System.Net;
using System.Net.WebSockets;

// Listens on the port the service would (VIDEOSENSOR__SERVER__PORT) with the smallest Kestrel app, in one of two roles:
// - no arguments: answers /health/ready — the runtime + Kestrel + routing cost every ASP.NET Core service pays
//   before doing any work of its own (the start-up and idle-memory floor);
// - "echo": a raw WebSocket endpoint at /ws answering every complete text message with a fixed JSON-RPC pong —
//   the framing the control plane does, with no parsing, dispatch or security (the per-request cost floor).
// Published both ways (JIT and Native AOT), so each build of the service is compared with the floor built alike.
var port = int.Parse(Environment.GetEnvironmentVariable("VIDEOSENSOR__SERVER__PORT") ?? "8080", System.Globalization.CultureInfo.InvariantCulture);
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
var app = builder.Build();
app.MapGet("/health/ready", () => "ok");
app.MapGet("/health", () => "ok");
if (args is ["echo", ..])
{
    var pong = """{"jsonrpc":"2.0","result":"pong","id":1}"""u8.ToArray();
    app.UseWebSockets();
    app.Map("/ws", async (HttpContext context) =>
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            if (result.EndOfMessage)
            {
                await socket.SendAsync(pong, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
    });
}

await app.RunAsync();
