using System.Text.Json.Serialization;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>
/// The actor that decides which instance ingests one RTSP feed. Dapr activates each actor id once in the
/// whole cluster and runs its calls one at a time, so two instances claiming the same feed always see
/// one answer. On the wire each method is <c>PUT …/actors/RtspFeedOwner/{id}/method/{Claim|Release}</c> with a
/// <see cref="FeedClaim"/> as the JSON body and a <see cref="FeedLease"/> as the answer (Dapr's non-remoting actor
/// call, which any Dapr SDK's untyped actor proxy makes).
/// </summary>
public interface IRtspFeedOwner
{
    /// <summary>Takes or renews the lease for the caller unless another instance holds a lease that has not expired; returns the holder.</summary>
    Task<FeedLease> Claim(FeedClaim claim);

    /// <summary>Gives the lease up if the caller holds it, so another instance can take the feed at its next claim.</summary>
    Task<FeedLease> Release(FeedClaim claim);
}

/// <summary>
/// A claim by one instance. Names are fixed (not left to a naming policy) because other callers, such as the
/// Dapr.Actors proxy, write it with their own JSON options.
/// </summary>
public sealed record FeedClaim(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("lease_seconds")] int LeaseSeconds);

/// <summary>Who holds the feed and until when; an empty owner means nobody. Also the actor's state under key <c>lease</c>.</summary>
public sealed record FeedLease(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("expires")] DateTimeOffset Expires);

/// <summary>The feed-ownership JSON (claims, leases), generated at build time.</summary>
[JsonSerializable(typeof(FeedClaim))]
[JsonSerializable(typeof(FeedLease))]
internal sealed partial class FeedOwnerJson : JsonSerializerContext;
