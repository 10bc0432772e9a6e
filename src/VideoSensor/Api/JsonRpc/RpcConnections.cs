using System.Collections.Concurrent;

namespace VideoSensor.Api.JsonRpc;

/// <summary>The open connections, for notifications and statistics.</summary>
internal sealed class RpcConnections
{
    private readonly ConcurrentDictionary<string, RpcConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public IEnumerable<RpcConnection> All => _connections.Values;

    public void Add(RpcConnection connection) => _connections[connection.Session.ClientId] = connection;

    public void Remove(RpcConnection connection) => _connections.TryRemove(connection.Session.ClientId, out _);
}
