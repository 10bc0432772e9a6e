using System.Collections.Concurrent;
using System.Text.Json;

namespace VideoSensor.Tests.Platform;

/// <summary>One actor call a fake sidecar forwarded: which app ran it, and what it answered.</summary>
public sealed record ActorCall(string Host, string Type, string Id, string Method, int Status);

/// <summary>
/// What a Dapr cluster shares between sidecars: the placement table (actor type and id → the one app that
/// hosts it, Dapr's single activation), the per-actor turn lock (Dapr runs an actor's calls one at a time)
/// and the actor state store (keys <c>app-id||type||id||key</c>, as daprd stores them). Fake sidecars that
/// share one instance behave like sidecars of one app-id in one cluster.
/// </summary>
public sealed class FakeActorPlacement
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, PlacedHost> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _placements = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    /// <summary>Actor state as the state store holds it: raw JSON values.</summary>
    public ConcurrentDictionary<string, string> State { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests that break Dapr's actor API contract (tests assert this stays empty).</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<ActorCall> Calls { get; } = new();

    /// <summary>Deactivations (<c>DELETE /actors/{type}/{id}</c>) sent to apps when an actor moved.</summary>
    public ConcurrentQueue<(string Host, string Type, string Id)> Deactivations { get; } = new();

    public static string StateKey(string appId, string type, string id, string key) => $"{appId}||{type}||{id}||{key}";

    /// <summary>The value stored for an actor's state key, parsed, or null.</summary>
    public JsonElement? StateOf(string appId, string type, string id, string key) =>
        State.TryGetValue(StateKey(appId, type, id, key), out var raw) ? JsonDocument.Parse(raw).RootElement.Clone() : null;

    internal sealed record PlacedHost(string Name, Uri App, IReadOnlySet<string> Types);

    internal bool IsRegistered(string host)
    {
        lock (_gate)
        {
            return _hosts.ContainsKey(host);
        }
    }

    internal void Register(string host, Uri app, IReadOnlySet<string> types)
    {
        lock (_gate)
        {
            _hosts[host] = new PlacedHost(host, app, types);
        }
    }

    /// <summary>The host left the cluster (sidecar stopped or app unreachable): its actors are placed anew on their next call.</summary>
    internal void Unregister(string host)
    {
        lock (_gate)
        {
            _hosts.Remove(host);
            foreach (var key in _placements.Where(p => p.Value == host).Select(p => p.Key).ToList())
            {
                _placements.Remove(key);
            }
        }
    }

    /// <summary>
    /// Where the actor runs: a stable hash over the hosts of its type (as Dapr's placement hashes actor ids),
    /// plus the host it ran on before when that one should hand it over (to deactivate it there first).
    /// </summary>
    internal (PlacedHost? Target, PlacedHost? Previous) Place(string type, string id)
    {
        lock (_gate)
        {
            var candidates = _hosts.Values.Where(h => h.Types.Contains(type)).ToList();
            if (candidates.Count == 0)
            {
                return (null, null);
            }

            var target = candidates[(int)(StableHash(type + "||" + id) % (uint)candidates.Count)];
            var key = type + "||" + id;
            PlacedHost? previous = null;
            if (_placements.TryGetValue(key, out var current) && current != target.Name && _hosts.TryGetValue(current, out var old))
            {
                previous = old;
            }

            _placements[key] = target.Name;
            return (target, previous);
        }
    }

    /// <summary>The host the actor is active on now, if any.</summary>
    internal string? HostOf(string type, string id)
    {
        lock (_gate)
        {
            return _placements.TryGetValue(type + "||" + id, out var host) ? host : null;
        }
    }

    internal SemaphoreSlim Turn(string type, string id) => _turns.GetOrAdd(type + "||" + id, _ => new SemaphoreSlim(1, 1));

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
