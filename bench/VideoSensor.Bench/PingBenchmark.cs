using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench;

/// <summary>
/// <c>ping</c> latency (p50/p99) and throughput at 1, 16, 64 and 256 concurrent clients against the
/// service, next to a bare Kestrel WebSocket echo; and memory per idle authenticated connection.
/// </summary>
internal sealed class PingBenchmark : IBenchmark
{
    private static readonly byte[] PingMessage = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"ping","id":1}""");

    public string Name => "ping";
    public string Description => "ping p50/p99 and req/s at 1-256 clients vs raw Kestrel echo; memory per idle connection";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var seconds = args.Count > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var environment = new Dictionary<string, string>
        {
            ["VIDEOSENSOR__SERVER__RATE_LIMIT_PER_SECOND"] = "1000000",
            ["VIDEOSENSOR__SERVER__RATE_LIMIT_BURST"] = "1000000",
            ["VIDEOSENSOR__SERVER__MAX_CONNECTIONS"] = "5000",
            ["VIDEOSENSOR__LOGGING__LEVEL"] = "Warning",
        };
        await using var service = await ServiceProcess.StartAsync(null, cancellationToken, environment: environment);
        var echoPort = FreePort.Next();
        using var echo = StartEcho(echoPort);
        try
        {
            await MeasureAsync(service, echo, echoPort, seconds, cancellationToken);
        }
        finally
        {
            echo.Kill(entireProcessTree: true);
            await echo.WaitForExitAsync(CancellationToken.None);
        }
    }

    private async Task MeasureAsync(ServiceProcess service, Process echo, int echoPort, double seconds, CancellationToken cancellationToken)
    {
        await WaitForReadyAsync(echo);
        var serviceUri = new Uri($"ws://127.0.0.1:{service.Port}/ws");
        var echoUri = new Uri($"ws://127.0.0.1:{echoPort}/ws");

        foreach (var clients in new[] { 1, 16, 64, 256 })
        {
            var floor = await LoadAsync(echoUri, clients, TimeSpan.FromSeconds(seconds), cancellationToken);
            var measured = await LoadAsync(serviceUri, clients, TimeSpan.FromSeconds(seconds), cancellationToken);
            BenchReport.Print(Name, $"p50_ms_{clients}_clients", BenchReport.Percentile(measured.Latencies, 50), "ms", BenchReport.Percentile(floor.Latencies, 50));
            BenchReport.Print(Name, $"p99_ms_{clients}_clients", BenchReport.Percentile(measured.Latencies, 99), "ms", BenchReport.Percentile(floor.Latencies, 99));
            BenchReport.Print(Name, $"rps_{clients}_clients", measured.RequestsPerSecond, "req/s", floor.RequestsPerSecond);
        }

        // Paced: 256 clients each pinging 10 times a second (2,560 req/s), the load the 2 ms p99 target speaks of;
        // the closed loops above measure saturation, where latency is queueing by construction.
        var pacedFloor = await LoadAsync(echoUri, 256, TimeSpan.FromSeconds(seconds * 2), cancellationToken, TimeSpan.FromMilliseconds(100));
        var paced = await LoadAsync(serviceUri, 256, TimeSpan.FromSeconds(seconds * 2), cancellationToken, TimeSpan.FromMilliseconds(100));
        BenchReport.Print(Name, "p50_ms_256_clients_paced_10hz", BenchReport.Percentile(paced.Latencies, 50), "ms", BenchReport.Percentile(pacedFloor.Latencies, 50));
        BenchReport.Print(Name, "p99_ms_256_clients_paced_10hz", BenchReport.Percentile(paced.Latencies, 99), "ms", BenchReport.Percentile(pacedFloor.Latencies, 99));

        var perConnection = await IdleMemoryAsync(serviceUri, service.Pid, cancellationToken);
        var floorPerConnection = await IdleMemoryAsync(echoUri, echo.Id, cancellationToken);
        BenchReport.Print(Name, "memory_per_idle_connection", perConnection, "KB", floorPerConnection);
    }

    private sealed record LoadResult(List<double> Latencies, double RequestsPerSecond);

    private static async Task<LoadResult> LoadAsync(Uri uri, int clients, TimeSpan duration, CancellationToken cancellationToken, TimeSpan? interval = null)
    {
        var sockets = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(uri, cancellationToken);
            return socket;
        }));
        var latencies = new List<double>();
        var total = 0L;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(sockets.Select(async socket =>
        {
            var buffer = new byte[1024];
            var local = new List<double>();
            // Warm-up outside the sample.
            await RoundTripAsync(socket, buffer, cancellationToken);
            // Paced clients start spread over one interval so their requests do not arrive in lock-step.
            if (interval is { } spread)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * spread.TotalMilliseconds), cancellationToken);
            }

            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t = Stopwatch.GetTimestamp();
                await RoundTripAsync(socket, buffer, cancellationToken);
                var took = Stopwatch.GetElapsedTime(t);
                local.Add(took.TotalMilliseconds);
                if (interval is { } pause && pause > took)
                {
                    await Task.Delay(pause - took, cancellationToken);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(local);
                total += local.Count;
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var socket in sockets)
        {
            // Aborted, not closed: the floor server does no close handshake, and the figure is already taken.
            socket.Abort();
            socket.Dispose();
        }

        return new LoadResult(latencies, total / elapsed);
    }

    private static async Task RoundTripAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        await socket.SendAsync(PingMessage, WebSocketMessageType.Text, true, cancellationToken);
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
        }
        while (!result.EndOfMessage);
    }

    /// <summary>RSS growth per open idle connection (each has completed one ping), over 1000 connections.</summary>
    private static async Task<double> IdleMemoryAsync(Uri uri, int pid, CancellationToken cancellationToken)
    {
        const int count = 1000;
        await Task.Delay(1000, cancellationToken);
        var before = Rss(pid);
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < count; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(uri, cancellationToken);
            await socket.SendAsync(PingMessage, WebSocketMessageType.Text, true, cancellationToken);
            var buffer = new byte[1024];
            await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            sockets.Add(socket);
        }

        await Task.Delay(2000, cancellationToken);
        var after = Rss(pid);
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        return (after - before) / count;
    }

    private static double Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static Process StartEcho(int port)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            info.ArgumentList.Add(typeof(PingBenchmark).Assembly.Location);
        }

        info.ArgumentList.Add("echo-server");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        return Process.Start(info)!;
    }

    private static async Task WaitForReadyAsync(Process echo)
    {
        var line = await echo.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line != "READY")
        {
            throw new InvalidOperationException($"echo server did not start: {line}");
        }
    }
}
