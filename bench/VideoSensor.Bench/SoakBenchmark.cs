using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench;

/// <summary>
/// Soak: 50 connections of mixed load (ping, list_recordings over 120+ stored files, get_metrics, take_snapshot)
/// for 10 minutes while one recording runs. Prints one JSON line a minute with p50/p99 per method, errors, and
/// the service's RSS, open fds, threads and child processes; at the end, how much of the wall-clock time the
/// recording holds as playable media.
/// </summary>
internal sealed class SoakBenchmark : IBenchmark
{
    private const int StoredFiles = 120;
    private static readonly (string Method, int Weight)[] Mix = [("ping", 45), ("list_recordings", 30), ("get_metrics", 20), ("take_snapshot", 5)];

    public string Name => "soak";
    public string Description => "50 connections mixed load for N minutes (default 10) with a recording: per-minute p50/p99, errors, RSS, fds, threads, children";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var serviceDll = args.ToList().IndexOf("--service-dll") is var at and >= 0 && at + 1 < args.Count ? args[at + 1] : null;
        args = [.. args.Where((a, i) => a != "--service-dll" && (i == 0 || args[i - 1] != "--service-dll"))];
        var minutes = args.Count > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var connections = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var (command, build) = await SoakService.CommandAsync(serviceDll, cancellationToken);
        using var root = new TempDirectory("videosensor-soak");
        var storage = root.Combine("storage");
        await SeedRecordingsAsync(Path.Combine(storage, "recordings", "test0"), cancellationToken);
        var started = Stopwatch.StartNew();
        await using var service = await ServiceProcess.StartAsync(null, cancellationToken, command: command, environment: new Dictionary<string, string>(SoakService.MediaMtxEnvironment())
        {
            ["VIDEOSENSOR__STORAGE__ROOT"] = storage,
            ["VIDEOSENSOR__SERVER__RATE_LIMIT_PER_SECOND"] = "1000000",
            ["VIDEOSENSOR__SERVER__RATE_LIMIT_BURST"] = "1000000",
            ["VIDEOSENSOR__SERVER__MAX_CONNECTIONS"] = "5000",
            ["VIDEOSENSOR__RECORDING__SEGMENT_SECONDS"] = "10",
            ["VIDEOSENSOR__LOGGING__LEVEL"] = "Warning",
        });
        // Warm-up: the service is ready, MediaMTX runs, and the probe cache knows the stored recordings (the
        // service warms it in the background after start). The load starts after this, and minute 1 counts from there.
        var readySeconds = service.TimeToReady.TotalSeconds;
        var mediamtx = await SoakService.WaitForComponentAsync(service, "mediamtx", (status, _) => status == "HEALTHY", TimeSpan.FromSeconds(30), cancellationToken);
        var mediamtxSeconds = started.Elapsed.TotalSeconds;
        var catalog = await SoakService.WaitForComponentAsync(service, "recording_catalog", (_, detail) => detail.StartsWith("probe cache warm:", StringComparison.Ordinal), TimeSpan.FromMinutes(5), cancellationToken);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = Name,
            ["phase"] = "warmup",
            ["service_build"] = build,
            ["ready_s"] = Math.Round(readySeconds, 2),
            ["mediamtx_up_s"] = Math.Round(mediamtxSeconds, 2),
            ["probe_cache_warm_s"] = Math.Round(started.Elapsed.TotalSeconds, 2),
            ["mediamtx"] = mediamtx,
            ["recording_catalog"] = catalog,
        }));

        var (exit, token, stderr) = await ServiceProcess.RunCliAsync(["token", "--role", "admin"], new Dictionary<string, string> { ["VIDEOSENSOR__STORAGE__ROOT"] = storage }, cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException(stderr);
        }

        var uri = new Uri($"ws://127.0.0.1:{service.Port}/ws");
        var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            var client = await RpcTestClient.ConnectAsync(uri, cancellationToken: cancellationToken);
            (await client.CallAsync("authenticate", new { auth_token = token.Trim() }, cancellationToken)).EnsureSuccess();
            return client;
        }));
        try
        {
            var recording = (await clients[0].CallAsync("start_recording", new { device = "test0" }, cancellationToken, TimeSpan.FromSeconds(60))).EnsureSuccess();
            var recordingStarted = Stopwatch.StartNew();
            var viaMediaMtx = await SoakService.RequireReadThroughMediaMtxAsync(clients[0], "test0", cancellationToken);
            var samples = new Samples(Stopwatch.StartNew());
            var end = DateTime.UtcNow.AddMinutes(minutes);
            var load = Task.WhenAll(clients.Skip(1).Select(c => LoadAsync(c, samples, end, cancellationToken)));
            var runtime = await SoakService.RuntimeAsync(service, cancellationToken);
            for (var minute = 1; DateTime.UtcNow < end; minute++)
            {
                var next = DateTime.UtcNow.AddMinutes(1) < end ? TimeSpan.FromMinutes(1) : end - DateTime.UtcNow;
                await Task.Delay(next, cancellationToken);
                var now = await SoakService.RuntimeAsync(service, cancellationToken);
                Report(minute, samples.TakeAll(), service.Pid, now with
                {
                    JitMethods = now.JitMethods - runtime.JitMethods,
                    JitSeconds = now.JitSeconds - runtime.JitSeconds,
                    GcPauseSeconds = now.GcPauseSeconds - runtime.GcPauseSeconds,
                });
                runtime = now;
            }

            await load;
            var viaMediaMtxAtEnd = await SoakService.RequireReadThroughMediaMtxAsync(clients[0], "test0", cancellationToken);
            await SoakService.WaitForComponentAsync(service, "mediamtx", (status, _) => status == "HEALTHY", TimeSpan.FromSeconds(5), cancellationToken);
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["bench"] = Name,
                ["recording_read_through_mediamtx"] = true,
                ["stream_viewers_at_start"] = viaMediaMtx.GetProperty("viewers").GetInt32(),
                ["stream_bytes_sent_at_end"] = viaMediaMtxAtEnd.GetProperty("bytes_sent").GetInt64(),
                ["ingest_restarts"] = viaMediaMtxAtEnd.GetProperty("ingest").GetProperty("restarts").GetInt32(),
            }));
            var stopped = (await clients[0].CallAsync("stop_recording", new { device = "test0" }, cancellationToken, TimeSpan.FromSeconds(60))).EnsureSuccess().Result;
            var wall = recordingStarted.Elapsed.TotalSeconds;
            var folder = Path.Combine(storage, "recordings", "test0");
            var media = 0.0;
            var names = stopped.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
            foreach (var file in names)
            {
                media += (await Ffprobe.ProbeAsync(Path.Combine(folder, file), cancellationToken)).Duration ?? 0;
            }

            // A lost segment shows as a hole in the numbering; a stalled recorder as a long wait between two
            // segments finishing. Media shorter than the wall clock with neither means the source itself ran slow
            // (a starved encoder produces fewer frames, it does not drop time).
            var indexes = names.Select(n => int.Parse(Path.GetFileNameWithoutExtension(n).Split('_')[^1], CultureInfo.InvariantCulture)).Order().ToList();
            var holes = indexes.Count == 0 ? 0 : indexes[^1] - indexes[0] + 1 - indexes.Count;
            var finished = names.Select(n => File.GetLastWriteTimeUtc(Path.Combine(folder, n))).Order().ToList();
            var longestWait = finished.Zip(finished.Skip(1), (a, b) => (b - a).TotalSeconds).DefaultIfEmpty(0).Max();
            BenchReport.Print(Name, "recording_segment_index_holes", holes, "segments");
            BenchReport.Print(Name, "recording_longest_wait_between_segments", longestWait, "s");

            BenchReport.Print(Name, "recording_wall_seconds", wall, "s");
            BenchReport.Print(Name, "recording_media_seconds", media, "s", wall);
            BenchReport.Print(Name, "recording_segments", stopped.GetProperty("files").GetArrayLength(), "files");
            _ = recording;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task LoadAsync(RpcTestClient client, Samples samples, DateTime end, CancellationToken cancellationToken)
    {
        var random = new Random();
        var total = Mix.Sum(m => m.Weight);

        // Each connection starts at a random point of its think time, as in the steady state: 49 requests fired in
        // the same millisecond would be a burst no real set of clients makes.
        await Task.Delay(random.Next(0, 700), cancellationToken);
        while (DateTime.UtcNow < end && !cancellationToken.IsCancellationRequested)
        {
            var pick = random.Next(total);
            var method = Mix.First(m => (pick -= m.Weight) < 0).Method;
            object? parameters = method switch
            {
                "list_recordings" => new { limit = 200 },
                "take_snapshot" => new { device = "test0" },
                _ => null,
            };
            var started = Stopwatch.GetTimestamp();
            string? error;
            try
            {
                var response = await client.CallAsync(method, parameters, cancellationToken, TimeSpan.FromSeconds(30));
                error = !response.IsError ? null
                    : response.ErrorCode.ToString(CultureInfo.InvariantCulture) + (response.Raw.GetProperty("error").TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("reason", out var reason) ? ":" + reason.GetString() : "");
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or System.Net.WebSockets.WebSocketException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                error = ex.GetType().Name;
            }

            samples.Add(method, Stopwatch.GetElapsedTime(started).TotalMilliseconds, error);

            // A client that looks at the answer before asking again: about 2 requests a second per connection.
            await Task.Delay(random.Next(300, 700), cancellationToken);
        }
    }

    private void Report(int minute, List<(string Method, double Ms, string? Error, double At)> sample, int pid, RuntimeCounters runtime)
    {
        var line = new Dictionary<string, object?>
        {
            ["bench"] = Name,
            ["minute"] = minute,
            // The machine's load: other work on the same cores inflates every latency below.
            ["loadavg_1m"] = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture),
            ["requests"] = sample.Count,
            ["errors"] = sample.Count(s => s.Error is not null),
            ["error_kinds"] = sample.Where(s => s.Error is not null).GroupBy(s => $"{s.Method} {s.Error}").ToDictionary(g => g.Key, g => g.Count()),
            ["rss_mb"] = Math.Round(ProcessFootprint.Read(pid).RssMb, 1),
            ["fds"] = Directory.GetFiles($"/proc/{pid}/fd").Length,
            ["threads"] = Threads(pid),
            ["children"] = Descendants(pid),
            // What the runtime spent in this minute: methods it JIT-compiled and the time that took, GC pauses.
            ["jit_methods"] = (int)runtime.JitMethods,
            ["jit_ms"] = Math.Round(runtime.JitSeconds * 1000),
            ["gc_pause_ms"] = Math.Round(runtime.GcPauseSeconds * 1000),
        };
        foreach (var group in sample.GroupBy(s => s.Method).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ms = group.Select(s => s.Ms).ToList();
            line[$"{group.Key}_p50_ms"] = Math.Round(BenchReport.Percentile(ms, 50), 1);
            line[$"{group.Key}_p99_ms"] = Math.Round(BenchReport.Percentile(ms, 99), 1);
            line[$"{group.Key}_errors"] = group.Count(s => s.Error is not null);
            if (minute == 1)
            {
                // Where in the first minute the slow answers are: its first 10 s (the recording starting) or later.
                var first = group.Where(s => s.At < 10).Select(s => s.Ms).ToList();
                var rest = group.Where(s => s.At >= 10).Select(s => s.Ms).ToList();
                line[$"{group.Key}_p99_first_10s_ms"] = first.Count == 0 ? null : Math.Round(BenchReport.Percentile(first, 99), 1);
                line[$"{group.Key}_p99_after_10s_ms"] = rest.Count == 0 ? null : Math.Round(BenchReport.Percentile(rest, 99), 1);
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(line));
    }

    /// <summary>One real 10 s fragmented-MP4 segment, copied so the store holds enough files for list_recordings to matter.</summary>
    private static async Task SeedRecordingsAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var first = Path.Combine(folder, "test0_20250101T000000000Z_0_0000.mp4");
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var arg in new[] { "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15", "-t", "10", "-c:v", "libx264", "-preset", "veryfast", "-g", "15",
                     "-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof", first })
        {
            info.ArgumentList.Add(arg);
        }

        using (var process = Process.Start(info)!)
        {
            await process.WaitForExitAsync(cancellationToken);
        }

        for (var i = 1; i < StoredFiles; i++)
        {
            File.Copy(first, Path.Combine(folder, $"test0_20250101T000000000Z_0_{i:D4}.mp4"));
        }
    }

    private static int Threads(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), CultureInfo.InvariantCulture);

    /// <summary>Every process below the service (ffmpeg, ffprobe, MediaMTX …).</summary>
    private static int Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var child))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    parents[child] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // gone meanwhile
                }
            }
        }

        return parents.Keys.Count(p => IsBelow(p, pid, parents));
    }

    private static bool IsBelow(int process, int ancestor, Dictionary<int, int> parents)
    {
        for (var p = process; parents.TryGetValue(p, out var parent) && parent > 1; p = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Answers of the load, each with its latency and when it was sent (seconds since the load started).</summary>
    private sealed class Samples(Stopwatch sinceStart)
    {
        private readonly Lock _gate = new();
        private List<(string, double, string?, double)> _items = [];

        public void Add(string method, double ms, string? error)
        {
            lock (_gate)
            {
                _items.Add((method, ms, error, sinceStart.Elapsed.TotalSeconds - ms / 1000));
            }
        }

        public List<(string Method, double Ms, string? Error, double At)> TakeAll()
        {
            lock (_gate)
            {
                var all = _items;
                _items = [];
                return all;
            }
        }
    }
}
