using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Bench;

/// <summary>
/// The soak's service as production runs it: the ReadyToRun publish that scripts/run.sh runs (published here with
/// the same command when missing or older than this build), with the real MediaMTX on free ports. Checks that
/// MediaMTX runs and that the recording reads through it, and fails loudly when not.
/// </summary>
internal static class SoakService
{
    /// <summary>
    /// The service command: <c>--service-dll PATH</c>, else the repository's <c>artifacts/videosensor</c> publish,
    /// (re)published first when it is missing, not ReadyToRun or older than the service this bench was built with.
    /// </summary>
    public static async Task<(string[] Command, string Build)> CommandAsync(string? serviceDll, CancellationToken cancellationToken)
    {
        if (serviceDll is not null)
        {
            var path = Path.GetFullPath(serviceDll);
            return ([ServiceProcess.DotnetHost, path], IsReadyToRun(path) ? "ready_to_run" : "jit");
        }

        var repo = RepositoryRoot() ?? throw new InvalidOperationException("the repository root (DaprCamera.sln) is not above the bench: pass --service-dll PATH");
        var published = Path.Combine(repo, "artifacts", "videosensor", "VideoSensor.dll");
        if (!File.Exists(published) || !IsReadyToRun(published) || File.GetLastWriteTimeUtc(published) < File.GetLastWriteTimeUtc(ServiceProcess.ServiceDll))
        {
            await PublishAsync(repo, Path.GetDirectoryName(published)!, cancellationToken);
            File.SetLastWriteTimeUtc(published, DateTime.UtcNow);
        }

        return IsReadyToRun(published)
            ? ([ServiceProcess.DotnetHost, published], "ready_to_run")
            : throw new InvalidOperationException($"{published} is not a ReadyToRun build after publishing");
    }

    /// <summary>The real MediaMTX, required: the soak measures the service as it runs in production.</summary>
    public static Dictionary<string, string> MediaMtxEnvironment() =>
        RealMediaMtx.Binary is { } binary
            ? RealMediaMtx.ServiceEnvironment(binary, RealMediaMtx.Ports.Allocate())
            : throw new InvalidOperationException("the soak runs the service with MediaMTX, as production does: " + RealMediaMtx.WhyUnavailable);

    /// <summary>Waits until the health report's component <paramref name="name"/> satisfies <paramref name="ok"/>; throws with the report if it never does.</summary>
    public static async Task<string> WaitForComponentAsync(ServiceProcess service, string name, Func<string, string, bool> ok, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (true)
        {
            last = await http.GetStringAsync(new Uri($"http://127.0.0.1:{service.Port}/health"), cancellationToken);
            using (var doc = JsonDocument.Parse(last))
            {
                if (doc.RootElement.GetProperty("components").TryGetProperty(name, out var component))
                {
                    var status = component.GetProperty("status").GetString() ?? "";
                    var detail = component.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
                    if (ok(status, detail))
                    {
                        return detail;
                    }
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"health component '{name}' not as required within {timeout.TotalSeconds:0} s: {last}\nservice output:\n{Tail(service.Output)}");
            }

            // Health has no push signal across processes: this loop polls.
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>
    /// Proves the camera's recording reads MediaMTX: its path is ready (the ingest publishes) and has a reader (the
    /// recorder; no other reader exists when this is asked). Throws with the stream status when not.
    /// </summary>
    public static async Task<JsonElement> RequireReadThroughMediaMtxAsync(RpcTestClient client, string device, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var response = await client.CallAsync("get_stream_status", new { device }, cancellationToken);
            if (!response.IsError)
            {
                var status = response.Result;
                if (status.GetProperty("ready").GetBoolean() && status.GetProperty("viewers").GetInt32() >= 1
                    && status.GetProperty("ingest").GetProperty("running").GetBoolean())
                {
                    return status.Clone();
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the recording of {device} does not read through MediaMTX: get_stream_status answered {response.Raw}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>
    /// The runtime's own counters from the service's <c>/metrics</c>: methods JIT-compiled, JIT time and GC pause time
    /// (totals since start). Their growth over a minute says how much of it the runtime spent compiling or collecting.
    /// </summary>
    public static async Task<RuntimeCounters> RuntimeAsync(ServiceProcess service, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{service.Port}/metrics"), cancellationToken);
        double Sum(string name) => text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new RuntimeCounters(Sum("dotnet_jit_compiled_methods_total"), Sum("dotnet_jit_compilation_time_seconds_total"), Sum("dotnet_gc_pause_time_seconds_total"));
    }

    private static async Task PublishAsync(string repo, string output, CancellationToken cancellationToken)
    {
        var rid = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        await Console.Error.WriteLineAsync($"soak: publishing the service ReadyToRun to {output} (as scripts/run.sh does; minutes the first time)");
        var watch = Stopwatch.StartNew();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "publish", "src/VideoSensor", "-c", "Release", "-r", rid, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "-v", "quiet", "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}): {await stdout}{await stderr}");
        }

        await Console.Error.WriteLineAsync($"soak: published in {watch.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>True when the assembly carries precompiled native code (a ReadyToRun header).</summary>
    private static bool IsReadyToRun(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DaprCamera.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;
}

/// <summary>Runtime totals since the service started (see <see cref="SoakService.RuntimeAsync"/>).</summary>
internal sealed record RuntimeCounters(double JitMethods, double JitSeconds, double GcPauseSeconds);
