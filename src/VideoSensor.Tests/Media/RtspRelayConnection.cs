using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace VideoSensor.Tests.Media;

/// <summary>An RTSP request as the relay reads it.</summary>
internal sealed record RtspRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public (string? User, string? Password) BasicCredentials()
    {
        var value = Header("Authorization");
        if (value is null || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value["Basic ".Length..].Trim()));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (decoded, null) : (decoded[..colon], decoded[(colon + 1)..]);
    }

    /// <summary>The path of <c>rtsp://host:port/path[/track]</c>.</summary>
    public static string PathOf(string url) => Segments(url).FirstOrDefault() ?? "";

    /// <summary>The track part after the path (<c>streamid=0</c>), empty for an aggregate URL.</summary>
    public static string Track(string url) => string.Join('/', Segments(url).Skip(1));

    private static string[] Segments(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? [] : rest[(slash + 1)..].Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}

/// <summary>An interleaved RTP/RTCP packet (<c>$</c>, channel, length, payload).</summary>
internal sealed record RtspFrame(byte Channel, byte[] Payload);

/// <summary>One message off the connection: a request or an interleaved frame.</summary>
internal sealed record RtspMessage(RtspRequest? Request, RtspFrame? Frame);

/// <summary>
/// One RTSP connection of the relay: reads requests and interleaved frames, writes responses and (for a
/// reader) relayed frames through one lock, so a frame never lands inside a response.
/// </summary>
internal sealed class RelayConnection(NetworkStream stream, CancellationToken stopping) : IAsyncDisposable
{
    private static int s_sessions;
    private readonly BufferedStream _in = new(stream, 64 * 1024);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Channel<RtspFrame> _outgoing = Channel.CreateBounded<RtspFrame>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropWrite });
    private Task _sender = Task.CompletedTask;

    public string SessionId { get; } = Interlocked.Increment(ref s_sessions).ToString("x8", CultureInfo.InvariantCulture);
    public string? Path { get; set; }
    public string? Sdp { get; set; }

    /// <summary>Track (control URL part) → the first interleaved channel this peer chose for it.</summary>
    public Dictionary<string, int> Tracks { get; } = new(StringComparer.Ordinal);

    public async Task<RtspMessage?> ReadAsync()
    {
        var first = new byte[1];
        if (await _in.ReadAsync(first, stopping) == 0)
        {
            return null;
        }

        if (first[0] == (byte)'$')
        {
            var header = new byte[3];
            await _in.ReadExactlyAsync(header, stopping);
            var payload = new byte[(header[1] << 8) | header[2]];
            await _in.ReadExactlyAsync(payload, stopping);
            return new RtspMessage(null, new RtspFrame(header[0], payload));
        }

        var requestLine = (char)first[0] + await ReadLineAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = await ReadLineAsync(); line.Length > 0; line = await ReadLineAsync())
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        string? body = null;
        if (headers.TryGetValue("Content-Length", out var length) && int.Parse(length, CultureInfo.InvariantCulture) is > 0 and var n)
        {
            var bytes = new byte[n];
            await _in.ReadExactlyAsync(bytes, stopping);
            body = Encoding.UTF8.GetString(bytes);
        }

        var parts = requestLine.Split(' ');
        return new RtspMessage(new RtspRequest(parts[0], parts.Length > 1 ? parts[1] : "", headers, body), null);
    }

    public async Task RespondAsync(RtspRequest request, int status, IEnumerable<string> headers, string? body = null)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"RTSP/1.0 {status} {Reason(status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"CSeq: {request.Header("CSeq") ?? "0"}\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        var content = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Content-Length: {content.Length}\r\n");
        }

        text.Append("\r\n");
        await WriteAsync([.. Encoding.UTF8.GetBytes(text.ToString()), .. content]);
    }

    /// <summary>Queues a relayed frame; a reader too slow to keep up loses frames rather than stalling the publisher.</summary>
    public void Send(byte channel, byte[] payload) => _outgoing.Writer.TryWrite(new RtspFrame(channel, payload));

    public void StartSending() => _sender = Task.Run(SendLoopAsync);

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        try
        {
            await _sender;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The reader is gone.
        }

        await _in.DisposeAsync();
        _write.Dispose();
    }

    private async Task SendLoopAsync()
    {
        await foreach (var frame in _outgoing.Reader.ReadAllAsync(stopping))
        {
            var bytes = new byte[frame.Payload.Length + 4];
            bytes[0] = (byte)'$';
            bytes[1] = frame.Channel;
            bytes[2] = (byte)(frame.Payload.Length >> 8);
            bytes[3] = (byte)frame.Payload.Length;
            frame.Payload.CopyTo(bytes, 4);
            await WriteAsync(bytes);
        }
    }

    private async Task WriteAsync(byte[] bytes)
    {
        await _write.WaitAsync(stopping);
        try
        {
            await stream.WriteAsync(bytes, stopping);
        }
        finally
        {
            _write.Release();
        }
    }

    private async Task<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await _in.ReadAsync(one, stopping) == 1)
        {
            if (one[0] == (byte)'\n')
            {
                break;
            }

            if (one[0] != (byte)'\r')
            {
                line.Append((char)one[0]);
            }
        }

        return line.ToString();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        455 => "Method Not Valid In This State",
        461 => "Unsupported Transport",
        _ => "Error",
    };
}
