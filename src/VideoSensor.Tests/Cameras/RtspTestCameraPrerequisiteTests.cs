using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras;

/// <summary>
/// The RTSP test camera names a missing prerequisite and stops at once, instead of saying READY and then
/// answering DESCRIBE with 503 until a test times out.
/// </summary>
public sealed class RtspTestCameraPrerequisiteTests : IDisposable
{
    private readonly TempDirectory _dir = new("gst-empty");

    [Fact]
    public async Task A_missing_GStreamer_element_is_named_with_its_Debian_package_before_READY()
    {
        // GStreamer with no plugin folders and a fresh registry finds none of the pipeline's elements.
        var environment = new Dictionary<string, string>
        {
            ["GST_PLUGIN_SYSTEM_PATH_1_0"] = _dir.Combine("plugins"),
            ["GST_PLUGIN_PATH_1_0"] = _dir.Combine("plugins"),
            ["GST_REGISTRY_1_0"] = _dir.Combine("registry.bin"),
        };
        Directory.CreateDirectory(_dir.Combine("plugins"));

        // A timeout would surface as a TimeoutException from the fixture's READY wait, not this message.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RtspTestServer.StartAsync(environment));

        Assert.Equal("RTSP test server did not start: FAILED missing GStreamer element videotestsrc (Debian package gstreamer1.0-plugins-base)", ex.Message);
    }

    public void Dispose() => _dir.Dispose();
}
