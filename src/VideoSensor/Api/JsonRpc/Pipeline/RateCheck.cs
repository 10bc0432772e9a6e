namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>
/// Step 2, rate: every frame spends from the connection's budget, well-formed or not — a flood of garbage costs the
/// service as much as a flood of requests. Over the budget a message gets -32040 with <c>retry_after_ms</c> instead
/// of whatever else it had earned.
/// </summary>
internal sealed class RateCheck(TokenBucket bucket)
{
    /// <summary>Spends one token; null while within the budget, the -32040 error once it is spent.</summary>
    public RpcError? Spend() =>
        bucket.TryTake(out var retryAfter) ? null : RpcError.RateLimited(retryAfter, "too many messages on this connection");
}
