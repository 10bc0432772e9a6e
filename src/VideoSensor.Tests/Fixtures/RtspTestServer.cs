using System.Diagnostics;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// A real IP camera: GStreamer's RTSP server (rtsp_server.py) as a child process on a free loopback
/// port, with optional basic auth. Stop it to simulate a camera dropping out; start it again to recover.
/// </summary>
public sealed class RtspTestServer : IAsyncDisposable
{
    private const string PythonPath = "/usr/bin/python3";
    private Process? _process;

    private RtspTestServer(int port, string path, string? user, string? password, int keyInt)
    {
        Port = port;
        Path = path;
        User = user;
        Password = password;
        KeyInt = keyInt;
    }

    public int Port { get; }
    public string Path { get; }
    public string? User { get; }
    public string? Password { get; }
    public int KeyInt { get; }
    public int? ProcessId => _process?.Id;

    /// <summary>Extra environment for the server process (a test of the prerequisite check hides GStreamer's plugins).</summary>
    internal IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>The URL without credentials (as configured in the service).</summary>
    public string Url => $"rtsp://127.0.0.1:{Port}{Path}";

    /// <summary>The URL with credentials (for a raw ffmpeg in tests).</summary>
    public string AuthorizedUrl => User is null ? Url : $"rtsp://{User}:{Password}@127.0.0.1:{Port}{Path}";

    public static async Task<RtspTestServer> StartAsync(string? user = null, string? password = null, int keyInt = 15, int? port = null)
    {
        var server = new RtspTestServer(port ?? FreePort.Next(), "/cam", user, password, keyInt);
        await server.StartAsync();
        return server;
    }

    internal static async Task<RtspTestServer> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var server = new RtspTestServer(FreePort.Next(), "/cam", null, null, 15) { Environment = environment };
        await server.StartAsync();
        return server;
    }

    /// <summary>
    /// (Re)starts the server process on the same port and waits until it listens. The script checks its
    /// prerequisites (python3-gi, every GStreamer element of its pipeline) first and says which is missing.
    /// </summary>
    public async Task StartAsync()
    {
        if (!File.Exists(PythonPath))
        {
            throw new InvalidOperationException($"RTSP test server cannot start: {PythonPath} is missing (Debian package python3; scripts/deps.sh test)");
        }

        var script = System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "rtsp_server.py");
        var info = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--path", Path, "--keyint", KeyInt.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        if (User is not null)
        {
            info.ArgumentList.Add("--user");
            info.ArgumentList.Add(User);
            info.ArgumentList.Add("--password");
            info.ArgumentList.Add(Password ?? "");
        }

        foreach (var (key, value) in Environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the RTSP test server");
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && stderr.Count < 20)
            {
                stderr.Enqueue(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (line != "READY")
        {
            await StopAsync();
            var reason = line is { Length: > 0 } ? line : string.Join(" | ", stderr);
            throw new InvalidOperationException($"RTSP test server did not start: {reason}");
        }
    }

    /// <summary>Kills the server (a camera that drops off the network).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
