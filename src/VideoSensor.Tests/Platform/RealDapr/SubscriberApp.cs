using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>
/// A tiny second app (the aggregator's role) behind its own daprd: it subscribes to the given topics through
/// <c>/dapr/subscribe</c> and keeps every CloudEvent its sidecar delivers, as that sidecar delivered it.
/// </summary>
public sealed class SubscriberApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Received> _received = [];
    private readonly Channel<Received> _arrivals = Channel.CreateUnbounded<Received>();

    private SubscriberApp(WebApplication app) => _app = app;

    public int Port { get; private init; }

    public sealed record Received(string Route, JsonElement CloudEvent)
    {
        public string Type => CloudEvent.GetProperty("type").GetString() ?? "";
        public string Topic => CloudEvent.TryGetProperty("topic", out var t) ? t.GetString() ?? "" : "";
        public JsonElement Data => CloudEvent.GetProperty("data");
    }

    public static async Task<SubscriberApp> StartAsync(string pubsub, IReadOnlyList<string> topics, CancellationToken ct)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var subscriber = new SubscriberApp(app) { Port = port };
        app.MapGet("/dapr/subscribe", () => Results.Json(topics.Select(t => new { pubsubname = pubsub, topic = t, route = "/events" })));
        app.MapPost("/events", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            var received = new Received("/events", document.RootElement.Clone());
            lock (subscriber._received)
            {
                subscriber._received.Add(received);
            }

            subscriber._arrivals.Writer.TryWrite(received);
            return Results.Json(new { status = "SUCCESS" });
        });
        await app.StartAsync(ct);
        return subscriber;
    }

    public IReadOnlyList<Received> All
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits for the first (already received or coming) event matching <paramref name="match"/>.</summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> match, string what, CancellationToken ct)
    {
        if (All.FirstOrDefault(match) is { } seen)
        {
            return seen;
        }

        try
        {
            await foreach (var received in _arrivals.Reader.ReadAllAsync(ct))
            {
                if (match(received))
                {
                    return received;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Fail($"the subscriber never received {what}; it got: {string.Join(", ", All.Select(r => r.Type))}");
        throw new InvalidOperationException("unreachable");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
