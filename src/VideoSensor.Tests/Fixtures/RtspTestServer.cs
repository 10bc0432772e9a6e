using System.Diagnostics;

namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// A real IP camera: GStreamer's RTSP server (rtsp_server.py) as a child process on a free loopback
/// port, with optional basic auth. Stop it to simulate a camera dropping out; start it again to recover.
/// </summary>
public sealed class RtspTestServer : IAsyncDisposable
{
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

    /// <summary>(Re)starts the server process on the same port and waits until it listens.</summary>
    public async Task StartAsync()
    {
        var script = System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "rtsp_server.py");
        var info = new ProcessStartInfo("/usr/bin/python3")
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

        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start the RTSP test server");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (line != "READY")
        {
            await StopAsync();
            throw new InvalidOperationException($"RTSP test server did not start: {line}");
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
