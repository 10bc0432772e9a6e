using VideoSensor.Platform.Dapr;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>
/// Holds the lease of one RTSP feed in actor state (the <c>actorStateStore</c>), so it survives the
/// actor moving to another instance. A lease that is not renewed expires: the next claim of any
/// instance takes it, which is how a feed moves away from an instance that died.
/// An instance serves one call of one actor id (<see cref="ActorHostEndpoints"/> creates it per call): it keeps
/// nothing in memory, so an activation left behind on an instance whose sidecar went away (so nobody deactivated it)
/// never answers from an old lease if the actor comes back to it.
/// </summary>
internal sealed class RtspFeedOwnerActor(string id, SidecarActors sidecar, TimeProvider time, CancellationToken cancellationToken) : IRtspFeedOwner
{
    public const string TypeName = "RtspFeedOwner";
    private const string LeaseKey = "lease";

    public async Task<FeedLease> Claim(FeedClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = time.GetUtcNow();
        var current = await ReadLeaseAsync().ConfigureAwait(false);
        if (current is not null && current.Owner.Length > 0 && current.Owner != claim.InstanceId && current.Expires > now)
        {
            return current;
        }

        var lease = new FeedLease(claim.InstanceId, now.AddSeconds(Math.Max(1, claim.LeaseSeconds)));
        await sidecar.SetStateAsync(TypeName, id, LeaseKey, lease, FeedOwnerJson.Default.FeedLease, cancellationToken).ConfigureAwait(false);
        return lease;
    }

    public async Task<FeedLease> Release(FeedClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var current = await ReadLeaseAsync().ConfigureAwait(false);
        if (current is not null && current.Owner != claim.InstanceId && current.Expires > time.GetUtcNow())
        {
            return current;
        }

        await sidecar.RemoveStateAsync(TypeName, id, LeaseKey, cancellationToken).ConfigureAwait(false);
        return new FeedLease("", time.GetUtcNow());
    }

    private async Task<FeedLease?> ReadLeaseAsync()
    {
        var (found, lease) = await sidecar.TryGetStateAsync(TypeName, id, LeaseKey, FeedOwnerJson.Default.FeedLease, cancellationToken).ConfigureAwait(false);
        return found ? lease : null;
    }
}
