using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VideoSensor.Bench;

/// <summary>
/// The floor for control-plane benchmarks: a bare Kestrel WebSocket server that answers every text
/// frame with a fixed JSON-RPC "pong". Run as its own process (<c>echo-server PORT</c>) so it is
/// measured like the service.
/// </summary>
internal static class EchoServer
{
    private static readonly byte[] Pong = """{"jsonrpc":"2.0","result":"pong","id":1}"""u8.ToArray();

    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (result.EndOfMessage)
                {
                    await socket.SendAsync(Pong, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
        });
        await app.StartAsync();
        Console.WriteLine("READY");
        await app.WaitForShutdownAsync();
    }
}
