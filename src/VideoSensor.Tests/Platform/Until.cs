namespace VideoSensor.Tests.Platform;

/// <summary>Waiting in tests for a state the service reaches on its own (files deleted, a scan run, a log line).</summary>
internal static class Until
{
    /// <summary>Waits until <paramref name="done"/> holds; fails naming <paramref name="what"/> when the test's time is up.</summary>
    public static async Task TrueAsync(Func<bool> done, string what, CancellationToken ct)
    {
        // The file system and the service's logs have no event to wait on from here.
        try
        {
            while (!done())
            {
                await Task.Delay(50, ct);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"timed out waiting until {what}");
        }
    }
}
