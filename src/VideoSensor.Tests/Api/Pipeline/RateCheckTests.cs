using Microsoft.Extensions.Time.Testing;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Pipeline;

namespace VideoSensor.Tests.Api.Pipeline;

/// <summary>Step 2, rate: the budget is spent one message at a time and refills with time.</summary>
public sealed class RateCheckTests
{
    [Fact]
    public void Past_the_burst_a_message_gets_rate_limited_with_retry_after_until_the_budget_refills()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var rate = new RateCheck(new TokenBucket(2, 3, time));

        Assert.Null(rate.Spend());
        Assert.Null(rate.Spend());
        Assert.Null(rate.Spend());
        var limited = rate.Spend();

        Assert.NotNull(limited);
        Assert.Equal(-32040, limited.Code);
        Assert.Equal(500L, limited.Data["retry_after_ms"]);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Null(rate.Spend());
    }
}
