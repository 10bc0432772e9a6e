using VideoSensor.Requests;
using VideoSensor.Contracts;
using VideoSensor.EventContract;
using VideoSensor.Events;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Topic subscriptions of a connection.</summary>
internal sealed partial class EventMethods(RpcSessionAccessor sessions, RpcConnections connections) : IRpcMethodGroup
{
    [RpcMethod("subscribe_events", Role.Viewer, "Subscribes this connection to event topics, optionally for one camera.", Result = "{subscribed, topics, filters}")]
    public SubscribeResult Subscribe(SubscribeParams request)
    {
        sessions.Session.Subscribe(request.Topics, request.Filters?.Device);
        return new SubscribeResult(true, request.Topics, request.Filters ?? new EventFilters());
    }

    [RpcMethod("unsubscribe_events", Role.Viewer, "Removes subscriptions (all of them when no topics are given).", Result = "{unsubscribed, topics}")]
    public UnsubscribeResult Unsubscribe(UnsubscribeParams request)
    {
        var removed = sessions.Session.Unsubscribe(request.Topics);
        return new UnsubscribeResult(true, removed);
    }

    [RpcMethod("get_subscription_stats", Role.Viewer, "Subscription counts across the service and this connection's topics.", Result = "{global_stats, client_topics, client_id}")]
    public SubscriptionStats GetStats()
    {
        var all = connections.All.Select(c => c.Session.Subscriptions).ToList();
        var topicCounts = EventTopics.All.ToDictionary(t => t, t => all.Count(s => s.ContainsKey(t)));
        var global = new GlobalSubscriptionStats(all.Sum(s => s.Count), all.Count(s => s.Count > 0), topicCounts);
        return new SubscriptionStats(global, [.. sessions.Session.Subscriptions.Keys.Order(StringComparer.Ordinal)], sessions.Session.ClientId);
    }
}

internal sealed class SubscribeParams : IValidatedRequest
{
    public required IReadOnlyList<string> Topics { get; init; }
    public EventFilters? Filters { get; init; }

    public void Validate()
    {
        if (Topics.Count == 0)
        {
            throw RequestRules.Invalid("topics", "a non-empty list of topics", "'topics' is empty");
        }

        foreach (var topic in Topics)
        {
            if (topic is null || !EventTopics.All.Contains(topic, StringComparer.Ordinal))
            {
                throw RequestRules.Invalid("topics", $"each one of {string.Join(", ", EventTopics.All)}", $"unknown topic '{Shorten(topic)}'");
            }
        }

        RequestRules.OptionalDevice(Filters?.Device);
    }

    private static string Shorten(string? topic) => topic is null ? "null" : topic.Length > 64 ? topic[..64] : topic;
}

internal sealed class EventFilters
{
    public string? Device { get; init; }
}

internal sealed class UnsubscribeParams : IValidatedRequest
{
    public IReadOnlyList<string>? Topics { get; init; }

    public void Validate()
    {
        if (Topics?.Any(t => t is null) == true)
        {
            throw RequestRules.Invalid("topics", "a list of topic names", "'topics' contains null");
        }
    }
}

internal sealed record SubscribeResult(bool Subscribed, IReadOnlyList<string> Topics, EventFilters Filters);

internal sealed record UnsubscribeResult(bool Unsubscribed, IReadOnlyList<string> Topics);

internal sealed record GlobalSubscriptionStats(int TotalSubscriptions, int ActiveClients, Dictionary<string, int> TopicCounts);

internal sealed record SubscriptionStats(GlobalSubscriptionStats GlobalStats, IReadOnlyList<string> ClientTopics, string ClientId);
