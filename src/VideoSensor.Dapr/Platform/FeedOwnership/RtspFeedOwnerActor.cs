using VideoSensor.FeedOwnership;
using Dapr.Actors.Runtime;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>
/// Holds the lease of one RTSP feed in actor state (the <c>actorStateStore</c>), so it survives the
/// actor moving to another instance. A lease that is not renewed expires: the next claim of any
/// instance takes it, which is how a feed moves away from an instance that died.
/// </summary>
[Actor(TypeName = TypeName)]
public sealed class RtspFeedOwnerActor(ActorHost host, TimeProvider time) : Actor(host), IRtspFeedOwner
{
    public const string TypeName = "RtspFeedOwner";
    private const string LeaseKey = "lease";

    public async Task<FeedLease> Claim(FeedClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = time.GetUtcNow();
        var current = await ReadLeaseAsync().ConfigureAwait(false);
        if (current.HasValue && current.Value.Owner.Length > 0 && current.Value.Owner != claim.InstanceId && current.Value.Expires > now)
        {
            return current.Value;
        }

        var lease = new FeedLease(claim.InstanceId, now.AddSeconds(Math.Max(1, claim.LeaseSeconds)));
        await StateManager.SetStateAsync(LeaseKey, lease).ConfigureAwait(false);
        return lease;
    }

    public async Task<FeedLease> Release(FeedClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var current = await ReadLeaseAsync().ConfigureAwait(false);
        if (current.HasValue && current.Value.Owner != claim.InstanceId && current.Value.Expires > time.GetUtcNow())
        {
            return current.Value;
        }

        await StateManager.TryRemoveStateAsync(LeaseKey).ConfigureAwait(false);
        return new FeedLease("", time.GetUtcNow());
    }

    /// <summary>
    /// Reads the lease from the store, not the activation's cache: an activation left behind on an instance
    /// whose sidecar went away (so nobody deactivated it) must not answer from an old lease if the actor
    /// comes back to it.
    /// </summary>
    private async Task<ConditionalValue<FeedLease>> ReadLeaseAsync()
    {
        await StateManager.ClearCacheAsync().ConfigureAwait(false);
        return await StateManager.TryGetStateAsync<FeedLease>(LeaseKey).ConfigureAwait(false);
    }
}
