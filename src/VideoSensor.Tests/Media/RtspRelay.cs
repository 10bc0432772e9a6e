using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Media;

/// <summary>One authorization the relay asked the service for, and the answer.</summary>
public sealed record RelayAuth(string Action, string Path, string User, bool Allowed);

/// <summary>
/// A stand-in for MediaMTX's RTSP server, which cannot run here. Like MediaMTX it takes publishers
/// (ANNOUNCE/SETUP/RECORD) and readers (DESCRIBE/SETUP/PLAY) on the same path, relays the publisher's
/// RTP/RTCP to every reader (RTP over the RTSP connection), asks the service's auth callback for every
/// publish and read with MediaMTX's request body, and reports publisher and readers to the API double
/// so the service sees the path state MediaMTX would report. Both ends are real ffmpeg.
/// </summary>
internal sealed class RtspRelay : IAsyncDisposable
{
    private const string SourceUser = "relay-source";
    private readonly TcpListener _listener;
    private readonly Uri _authCallback;
    private readonly MediaMtxDouble _api;
    private readonly HttpClient _http = new();
    private readonly ConcurrentDictionary<string, PathState> _paths = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentBag<System.Diagnostics.Process> _pullers = [];
    private readonly string _pullerSecret = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public RtspRelay(int port, Uri authCallback, MediaMtxDouble api)
    {
        _authCallback = authCallback;
        _api = api;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = port;
        _accept = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>Every authorization asked, in order.</summary>
    public ConcurrentQueue<RelayAuth> Auths { get; } = new();

    /// <summary>Raised whenever a publisher or reader arrives or leaves.</summary>
    public event Action? Changed;

    public bool IsPublished(string path) => _paths.TryGetValue(path, out var p) && p.Publisher is not null;

    public int Readers(string path) => _paths.TryGetValue(path, out var p) ? p.ReaderCount : 0;

    /// <summary>Completes when <paramref name="condition"/> holds; checked on every change.</summary>
    public async Task WaitUntilAsync(Func<RtspRelay, bool> condition, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition(this))
            {
                done.TrySetResult();
            }
        }

        Changed += Check;
        try
        {
            Check();
            await done.Task.WaitAsync(timeout);
        }
        finally
        {
            Changed -= Check;
        }
    }

    /// <summary>
    /// Pulls the <c>source</c> the service configured for <paramref name="path"/> (credentials included, as
    /// MediaMTX receives them) into the path, as MediaMTX does for a feed that is not on demand: an ffmpeg that
    /// copies the camera's stream and publishes it here. MediaMTX's own source needs no auth callback, nor does this.
    /// </summary>
    public void PullConfiguredSource(string path)
    {
        var source = _api.Configs[path]["source"]!.GetValue<string>();
        var info = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in (string[])["-hide_banner", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", source, "-map", "0:v:0", "-c", "copy",
            "-f", "rtsp", "-rtsp_transport", "tcp", $"rtsp://{SourceUser}:{_pullerSecret}@127.0.0.1:{Port}/{path}"])
        {
            info.ArgumentList.Add(arg);
        }

        var process = System.Diagnostics.Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        _pullers.Add(process);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var puller in _pullers)
        {
            puller.Kill();
            await puller.WaitForExitAsync();
            puller.Dispose();
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
        await Task.WhenAll(_connections);
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var connection = new RelayConnection(client.GetStream(), _stop.Token);
        try
        {
            while (await connection.ReadAsync() is { } message)
            {
                if (message.Frame is { } frame)
                {
                    Relay(connection, frame.Channel, frame.Payload);
                }
                else if (!await HandleAsync(connection, message.Request!))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The peer went away or the relay stops.
        }
        finally
        {
            Leave(connection);
        }
    }

    private async Task<bool> HandleAsync(RelayConnection c, RtspRequest request)
    {
        switch (request.Method)
        {
            case "OPTIONS":
                await c.RespondAsync(request, 200, ["Public: DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, GET_PARAMETER, TEARDOWN"]);
                return true;
            case "ANNOUNCE":
                if (await AuthorizeAsync(c, request, "publish") is not { } publishPath)
                {
                    return true;
                }

                c.Path = publishPath;
                c.Sdp = request.Body;
                await c.RespondAsync(request, 200, []);
                return true;
            case "DESCRIBE":
                if (await AuthorizeAsync(c, request, "read") is not { } readPath)
                {
                    return true;
                }

                if (!_paths.TryGetValue(readPath, out var state) || state.Publisher?.Sdp is not { } sdp)
                {
                    // What MediaMTX answers when nobody publishes on a path that has no source of its own.
                    await c.RespondAsync(request, 404, []);
                    return true;
                }

                c.Path = readPath;
                await c.RespondAsync(request, 200, [$"Content-Base: rtsp://127.0.0.1:{Port}/{readPath}/", "Content-Type: application/sdp"], sdp);
                return true;
            case "SETUP":
                return await SetupAsync(c, request);
            case "RECORD" when c.Path is { } recordPath && c.Sdp is not null:
                if (!_paths.GetOrAdd(recordPath, _ => new PathState()).TryPublish(c))
                {
                    c.Path = null;
                }

                await c.RespondAsync(request, c.Path is null ? 400 : 200, [$"Session: {c.SessionId}"]);
                Report(recordPath);
                return c.Path is not null;
            case "PLAY" when c.Path is { } playPath && _paths.TryGetValue(playPath, out var played):
                await c.RespondAsync(request, 200, [$"Session: {c.SessionId}"]);
                played.AddReader(c);

                c.StartSending();
                Report(playPath);
                return true;
            case "GET_PARAMETER" or "SET_PARAMETER":
                await c.RespondAsync(request, 200, [$"Session: {c.SessionId}"]);
                return true;
            case "TEARDOWN":
                await c.RespondAsync(request, 200, [$"Session: {c.SessionId}"]);
                return false;
            default:
                await c.RespondAsync(request, 455, []);
                return true;
        }
    }

    private async Task<bool> SetupAsync(RelayConnection c, RtspRequest request)
    {
        var transport = request.Header("Transport") ?? "";
        var interleaved = transport.Split(';').FirstOrDefault(p => p.StartsWith("interleaved=", StringComparison.Ordinal));
        if (interleaved is null || c.Path is null)
        {
            // MediaMTX offers UDP too; this stand-in only carries RTP inside the RTSP connection.
            await c.RespondAsync(request, interleaved is null ? 461 : 455, []);
            return true;
        }

        var channel = int.Parse(interleaved["interleaved=".Length..].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        c.Tracks[RtspRequest.Track(request.Url)] = channel;
        await c.RespondAsync(request, 200, [$"Transport: RTP/AVP/TCP;unicast;interleaved={channel}-{channel + 1}", $"Session: {c.SessionId};timeout=60"]);
        return true;
    }

    private async Task<HttpResponseMessage> PostAuthAsync(Dictionary<string, string> body)
    {
        try
        {
            return await _http.PostAsJsonAsync(_authCallback, body);
        }
        finally
        {
            _api.PathManager.Release();
        }
    }

    /// <summary>Asks the service like MediaMTX's authHTTPAddress does; answers 401 when it says no or no credential came.</summary>
    private async Task<string?> AuthorizeAsync(RelayConnection c, RtspRequest request, string action)
    {
        var path = RtspRequest.PathOf(request.Url);
        var (user, password) = request.BasicCredentials();
        if (action == "publish" && user == SourceUser && password == _pullerSecret)
        {
            return path;
        }

        if (user is null)
        {
            await c.RespondAsync(request, 401, ["WWW-Authenticate: Basic realm=\"mediamtx\""]);
            return null;
        }

        // MediaMTX authenticates inside its path manager: nothing else on the path side is served meanwhile.
        await _api.PathManager.WaitAsync();
        using var response = await PostAuthAsync(new Dictionary<string, string>
        {
            ["user"] = user,
            ["password"] = password ?? "",
            ["token"] = "",
            ["ip"] = "127.0.0.1",
            ["action"] = action,
            ["path"] = path,
            ["protocol"] = "rtsp",
            ["id"] = c.SessionId,
            ["query"] = "",
        });
        var allowed = response.IsSuccessStatusCode;
        
        Auths.Enqueue(new RelayAuth(action, path, user, allowed));
        if (!allowed)
        {
            await c.RespondAsync(request, 401, ["WWW-Authenticate: Basic realm=\"mediamtx\""]);
            return null;
        }

        return path;
    }

    private void Relay(RelayConnection publisher, byte channel, byte[] payload)
    {
        if (publisher.Path is not { } path || !_paths.TryGetValue(path, out var state) || state.Publisher != publisher)
        {
            return; // A reader's RTCP receiver report: MediaMTX consumes those; the stand-in drops them.
        }

        var track = publisher.Tracks.FirstOrDefault(t => t.Value == (channel & ~1));
        if (track.Key is null)
        {
            return;
        }

        foreach (var reader in state.ReadersNow())
        {
            if (reader.Tracks.TryGetValue(track.Key, out var readerChannel))
            {
                reader.Send((byte)(readerChannel + (channel & 1)), payload);
            }
        }
    }

    private void Leave(RelayConnection c)
    {
        if (c.Path is not { } path || !_paths.TryGetValue(path, out var state))
        {
            return;
        }

        state.Remove(c);
        Report(path);
    }

    private void Report(string path)
    {
        if (_paths.TryGetValue(path, out var state))
        {
            _api.SetLive(path, ready: state.Publisher is not null, readers: state.ReaderCount);
        }

        Changed?.Invoke();
    }

    /// <summary>Who publishes on a path and who reads it.</summary>
    private sealed class PathState
    {
        private readonly Lock _gate = new();
        private readonly List<RelayConnection> _readers = [];

        public RelayConnection? Publisher
        {
            get
            {
                lock (_gate)
                {
                    return field;
                }
            }

            private set;
        }

        public int ReaderCount
        {
            get
            {
                lock (_gate)
                {
                    return _readers.Count;
                }
            }
        }

        public RelayConnection[] ReadersNow()
        {
            lock (_gate)
            {
                return [.. _readers];
            }
        }

        /// <summary>False when someone already publishes here (MediaMTX refuses a second publisher too).</summary>
        public bool TryPublish(RelayConnection c)
        {
            lock (_gate)
            {
                if (Publisher is not null)
                {
                    return false;
                }

                Publisher = c;
                return true;
            }
        }

        public void AddReader(RelayConnection c)
        {
            lock (_gate)
            {
                _readers.Add(c);
            }
        }

        public void Remove(RelayConnection c)
        {
            lock (_gate)
            {
                _readers.Remove(c);
                if (Publisher == c)
                {
                    Publisher = null;
                }
            }
        }
    }
}

/// <summary>Creates the relay on a free port with the service's auth callback.</summary>
internal static class RtspRelayFactory
{
    public static RtspRelay For(TestService service, MediaMtxDouble api, int port) =>
        new(port, new Uri(service.BaseUri, VideoSensor.Media.MediaMtx.MediaMtxConfigWriter.AuthRoute), api);
}
