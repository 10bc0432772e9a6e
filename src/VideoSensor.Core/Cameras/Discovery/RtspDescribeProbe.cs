using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace VideoSensor.Cameras.Discovery;

/// <summary>What an RTSP server said to DESCRIBE: 200 (a stream), 401 (a stream behind auth), or something else.</summary>
internal sealed record DescribeResult(string Url, int StatusCode, string? Server, TimeSpan Took);

/// <summary>Sends one RTSP DESCRIBE over TCP and reads the status line and headers (no media is set up).</summary>
internal static class RtspDescribeProbe
{
    public static async Task<DescribeResult?> DescribeAsync(string host, int port, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = $"rtsp://{host}:{port}{path}";
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var request = $"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\nUser-Agent: DaprCamera-discovery\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cts.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length), cts.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (Encoding.ASCII.GetString(buffer, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }

            return Parse(url, Encoding.ASCII.GetString(buffer, 0, length), System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static DescribeResult? Parse(string url, string response, TimeSpan took)
    {
        var lines = response.Split("\r\n");
        var status = lines[0].Split(' ');
        if (status.Length < 2 || !status[0].StartsWith("RTSP/", StringComparison.Ordinal) || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return null;
        }

        var server = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Server:", StringComparison.OrdinalIgnoreCase))?[7..].Trim();
        return new DescribeResult(url, code, server, took);
    }
}
