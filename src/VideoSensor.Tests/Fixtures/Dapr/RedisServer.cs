using System.Globalization;
using StackExchange.Redis;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>Debian's redis-server as a child on a free loopback port, in memory only, with a client for assertions.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ChildProcess? _process;
    private ConnectionMultiplexer? _connection;

    private RedisServer(int port) => Port = port;

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
    public int Pid => _process?.Pid ?? 0;
    public ConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("not started");

    public IDatabase Db(int index = 0) => Connection.GetDatabase(index);

    public static async Task<RedisServer> StartAsync(CancellationToken ct)
    {
        var server = new RedisServer(FreePort.Next());
        server._process = ChildProcess.Start("redis-server", RealDaprTools.RedisServer!,
            ["--port", server.Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                server._connection = await ConnectionMultiplexer.ConnectAsync($"{server.Address},allowAdmin=true,connectTimeout=2000,abortConnect=true");
                return server;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !server._process.HasExited)
            {
                // redis-server gives no readiness signal other than accepting the connection.
                await Task.Delay(50, ct);
            }
            catch (Exception ex)
            {
                var output = server._process.Output;
                await server.DisposeAsync();
                throw new InvalidOperationException($"redis-server did not start: {ex.Message}\n{output}", ex);
            }
        }
    }

    /// <summary>Every entry of a stream (a Dapr topic), oldest first.</summary>
    public async Task<StreamEntry[]> StreamAsync(string key, int db = 0) => await Db(db).StreamRangeAsync(key);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
