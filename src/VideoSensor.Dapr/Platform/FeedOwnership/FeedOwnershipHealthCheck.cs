using VideoSensor.FeedOwnership;
using VideoSensor.Health;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>What the last claims said about this instance's RTSP feeds.</summary>
internal sealed record FeedOwnershipSummary(int Owned, IReadOnlyList<string> OtherOwners, int Elsewhere, int Pending, string? Failure);

/// <summary>
/// RTSP feed ownership as a health component (in <c>/health</c>, <c>get_status</c> and the heartbeat): how many
/// feeds this instance ingests, which instances ingest the others, and why claims fail. Never critical: an
/// instance that cannot reach the actor keeps what it ingests.
/// </summary>
internal sealed class FeedOwnershipHealthCheck(IFeedOwnership ownership) : IComponentHealthCheck
{
    public string Name => "feed_ownership";
    public bool Critical => false;

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        if (ownership is not ActorFeedOwnership actors)
        {
            return ValueTask.FromResult(new ComponentHealth(ComponentHealth.Disabled, "every instance ingests its own RTSP feeds (no sidecar, or dapr.feed_ownership off)"));
        }

        var s = actors.Summary();
        var detail = $"ingests {s.Owned} RTSP feed(s); {s.Elsewhere} ingested by {(s.OtherOwners.Count == 0 ? "no other instance" : string.Join(", ", s.OtherOwners))}; {s.Pending} waiting for a decision";
        return ValueTask.FromResult(s.Failure is null
            ? new ComponentHealth(ComponentHealth.Healthy, detail)
            : new ComponentHealth(ComponentHealth.Degraded, $"{detail}; claims fail: {s.Failure}"));
    }
}
