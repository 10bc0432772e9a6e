using System.Collections.Concurrent;

namespace VideoSensor.Api.JsonRpc;

/// <summary>The open connections, for notifications and statistics, and the slots that bound how many there may be.</summary>
internal sealed class RpcConnections
{
    private readonly ConcurrentDictionary<string, RpcConnection> _connections = new(StringComparer.Ordinal);
    private int _reserved;

    public int Count => _connections.Count;

    /// <summary>Slots taken: connections open plus those being accepted.</summary>
    public int Reserved => Volatile.Read(ref _reserved);

    public IEnumerable<RpcConnection> All => _connections.Values;

    /// <summary>
    /// Takes a slot if fewer than <paramref name="limit"/> are taken. One atomic step, so a burst of upgrades
    /// cannot all see room and all get in (a check of <see cref="Count"/> followed by an add could).
    /// </summary>
    public bool TryReserve(int limit)
    {
        while (true)
        {
            var current = Volatile.Read(ref _reserved);
            if (current >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryReserve"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _reserved);

    public void Add(RpcConnection connection) => _connections[connection.Session.ClientId] = connection;

    public void Remove(RpcConnection connection) => _connections.TryRemove(connection.Session.ClientId, out _);
}
