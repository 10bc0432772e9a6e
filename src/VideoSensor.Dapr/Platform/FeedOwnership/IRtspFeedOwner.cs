using VideoSensor.FeedOwnership;
using System.Text.Json.Serialization;
using Dapr.Actors;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>
/// The actor that decides which instance ingests one RTSP feed. Dapr activates each actor id once in the
/// whole cluster and runs its calls one at a time, so two instances claiming the same feed always see
/// one answer. Public because the Dapr actor runtime builds its dispatchers for the interface at run time.
/// </summary>
public interface IRtspFeedOwner : IActor
{
    /// <summary>Takes or renews the lease for the caller unless another instance holds a lease that has not expired; returns the holder.</summary>
    Task<FeedLease> Claim(FeedClaim claim);

    /// <summary>Gives the lease up if the caller holds it, so another instance can take the feed at its next claim.</summary>
    Task<FeedLease> Release(FeedClaim claim);
}

/// <summary>
/// A claim by one instance. Names are fixed because the SDK reads the request with its default JSON options
/// on the actor side and writes it with web defaults on the proxy side.
/// </summary>
public sealed record FeedClaim(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("lease_seconds")] int LeaseSeconds);

/// <summary>Who holds the feed and until when; an empty owner means nobody.</summary>
public sealed record FeedLease(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("expires")] DateTimeOffset Expires);
