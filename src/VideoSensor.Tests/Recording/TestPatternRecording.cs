using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Recording;

/// <summary>Helpers for tests that need real recorded files from the lavfi test camera (small, 15 fps).</summary>
internal static class TestPatternRecording
{
    public const string Camera = """
        cameras:
          test_patterns:
            - id: test0
              name: Test pattern
              pattern: testsrc2
              resolution: 320x180
              fps: 15
        recording:
          segment_seconds: 2
          progress_interval_seconds: 1
        """;

    public static async Task<JsonElement> CallAsync(RpcTestClient client, string method, object? parameters = null) =>
        (await client.CallAsync(method, parameters, TestContext.Current.CancellationToken, TimeSpan.FromSeconds(40))).EnsureSuccess().Result;

    /// <summary>Records test0 for a few seconds and returns the listed segment files (newest first).</summary>
    public static async Task<List<JsonElement>> RecordAsync(TestService service, RpcTestClient client, int seconds)
    {
        (await client.CallAsync("subscribe_events", new { topics = new[] { "recording.stop" } }, TestContext.Current.CancellationToken)).EnsureSuccess();
        await CallAsync(client, "start_recording", new { device = "test0", duration = seconds });
        try
        {
            await client.NextNotificationAsync("recording.stop", TimeSpan.FromSeconds(seconds + 30));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no recording.stop: " + string.Join('\n', service.Logs.Lines.Where(l => l.Contains("VideoSensor", StringComparison.Ordinal)).TakeLast(20)));
        }

        var list = await CallAsync(client, "list_recordings", new { device = "test0", limit = 1000 });
        return [.. list.GetProperty("files").EnumerateArray()];
    }
}
