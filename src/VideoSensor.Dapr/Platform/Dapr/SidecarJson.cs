using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoSensor.Platform.Dapr;

/// <summary>daprd's error answer: <c>{"errorCode": "ERR_…", "message": "…"}</c>.</summary>
internal sealed record SidecarError(string? ErrorCode, string? Message);

/// <summary>One operation of an actor state transaction: <c>{"operation": "upsert"|"delete", "request": {key, value?}}</c>.</summary>
internal sealed record ActorStateOperation(string Operation, ActorStateRequest Request);

internal sealed record ActorStateRequest(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Value);

/// <summary>The app's answer to <c>GET /dapr/config</c>: the actor types it hosts (what the Dapr.Actors runtime answered with its defaults).</summary>
internal sealed record ActorRuntimeConfig(IReadOnlyList<string> Entities, ActorReentrancyConfig Reentrancy);

internal sealed record ActorReentrancyConfig(bool Enabled);

/// <summary>One entry of the app's answer to <c>GET /dapr/subscribe</c> (programmatic subscription, route form).</summary>
internal sealed record DaprSubscription(
    string Topic,
    string PubsubName,
    string Route,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DeadLetterTopic);

/// <summary>
/// The app's answer to a pub/sub delivery: <c>status</c> SUCCESS, RETRY or DROP, which the sidecar acts on, with the
/// command's <c>outcome</c> (when it ran or was passed on) and a <c>detail</c> for people.
/// </summary>
internal sealed record CommandReply(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Outcome,
    string? Detail)
{
    public static CommandReply Drop(string detail) => new("DROP", null, detail);

    public static CommandReply Retry(string detail) => new("RETRY", null, detail);
}

/// <summary>The JSON the adapter exchanges with its sidecar over HTTP (Dapr's camelCase names), generated at build time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SidecarError))]
[JsonSerializable(typeof(ActorStateOperation[]))]
[JsonSerializable(typeof(ActorRuntimeConfig))]
[JsonSerializable(typeof(DaprSubscription[]))]
[JsonSerializable(typeof(CommandReply))]
internal sealed partial class SidecarJson : JsonSerializerContext;
