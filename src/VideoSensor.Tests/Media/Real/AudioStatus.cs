using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>Waits for the service to have measured a camera's audio track (it probes the stream once it flows).</summary>
internal static class AudioStatus
{
    /// <summary>The <c>audio</c> of <c>get_camera_status</c> once it is there (fails after 30 s).</summary>
    public static async Task<JsonElement> WaitForAudioAsync(RpcTestClient client, string device, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.CallAsync("get_camera_status", new { device }, ct)).EnsureSuccess().Result;
            if (status.TryGetProperty("audio", out var audio) && audio.ValueKind == JsonValueKind.Object)
            {
                return audio;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"no audio measured for {device}: {status}");
            await Task.Delay(250, ct);
        }
    }

    /// <summary>Waits until the published-track probe has run for the current activation (a camera without audio shows none either way).</summary>
    public static async Task WaitForMeasuredAsync(RealDataPlane plane, string device, CancellationToken ct)
    {
        var tracks = plane.Service.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<VideoSensor.Media.Ingest.PublishedTracks>().Single();
        await tracks.MeasureNewAsync(ct);
        Assert.True(plane.Service.Services.GetRequiredService<CameraRegistry>().TryGet(device, out _));
    }
}
