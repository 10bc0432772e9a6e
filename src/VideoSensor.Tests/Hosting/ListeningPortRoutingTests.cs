using System.Net;
using System.Net.Sockets;
using System.Text;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Hosting;

/// <summary>
/// Endpoints are chosen by the port a connection came in on: any Host header reaches the API on the service
/// port (a reverse proxy, a port-forward), and the health port serves health and downloads only, whatever
/// the Host header claims.
/// </summary>
public sealed class ListeningPortRoutingTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async ValueTask InitializeAsync() =>
        _service = await TestService.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("sensor.example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("localhost:9000")]
    [InlineData("127.0.0.1:1")]
    public async Task Any_host_header_reaches_the_api_and_the_websocket_on_the_service_port(string host)
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await _service.TokenAsync("viewer");

        var (status, _) = await RawGetAsync(_service.Port, "/api/v1/cameras", host, $"Authorization: Bearer {token}\r\n", ct);
        Assert.Equal(200, status);
        (status, _) = await RawGetAsync(_service.Port, "/ws", host, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ct);
        Assert.Equal(101, status);
        (status, _) = await RawGetAsync(_service.Port, "/metrics", host, "", ct);
        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("/api/v1/cameras")]
    [InlineData("/api/v1/config")]
    [InlineData("/ws")]
    [InlineData("/metrics")]
    [InlineData("/")]
    [InlineData("/api/v1/sources")]
    public async Task The_health_port_does_not_serve_the_api_even_when_the_host_header_names_the_service_port(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await _service.TokenAsync("admin");
        foreach (var host in new[] { $"127.0.0.1:{_service.Port}", $"127.0.0.1:{_service.HealthPort}", "sensor.example.com" })
        {
            var (status, _) = await RawGetAsync(_service.HealthPort, path, host, $"Authorization: Bearer {token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ct);
            Assert.True(status == 404, $"{path} with Host {host} on the health port answered {status}");
        }
    }

    [Fact]
    public async Task The_health_port_serves_health_and_files()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await _service.TokenAsync("viewer");
        foreach (var host in new[] { "sensor.example.com", $"127.0.0.1:{_service.Port}" })
        {
            Assert.Equal(200, (await RawGetAsync(_service.HealthPort, "/health/live", host, "", ct)).Status);
            Assert.Equal(401, (await RawGetAsync(_service.HealthPort, "/files/snapshots/none.jpg", host, "", ct)).Status);
            Assert.Equal(404, (await RawGetAsync(_service.HealthPort, "/files/snapshots/none.jpg", host, $"Authorization: Bearer {token}\r\n", ct)).Status);
        }
    }

    /// <summary>A request written by hand, so the Host header is exactly what the test says.</summary>
    private static async Task<(int Status, string Head)> RawGetAsync(int port, string path, string host, string headers, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n"), ct);
        var buffer = new byte[4096];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
            if (n == 0)
            {
                break;
            }

            read += n;
            if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        var head = Encoding.ASCII.GetString(buffer, 0, read);
        return (int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), head);
    }
}
