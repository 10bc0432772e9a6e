using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Real;

/// <summary>
/// A reader alone wakes an idle test-pattern camera through the real MediaMTX and decodes frames on its first
/// try, with each credential form a real client can carry. Nothing was started before the reader arrived.
/// </summary>
public sealed class OnDemandReaderTests
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Rtsp_reader_with_a_token_in_the_query_wakes_an_idle_camera_on_its_first_try()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(null, ["test0"], ct);
        var before = await plane.Api.GetPathAsync("test0", ct);
        var token = await plane.Service.TokenAsync("viewer");

        var read = await FrameReader.ReadAsync(plane.Rtsp("test0", "?token=" + token), frames: 10, ReadTimeout, ct);

        Assert.False(before?.IsReady ?? false, "the camera must be idle before the reader comes");
        Assert.True(read.Frames == 10, $"decoded {read.Frames} frames in {read.Elapsed.TotalSeconds:0.0} s: {read.Error}");
        Assert.DoesNotContain(token, plane.Service.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rtsp_reader_with_an_api_key_as_password_wakes_an_idle_camera_on_its_first_try()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(null, ["test0"], ct);

        var read = await FrameReader.ReadAsync(plane.RtspWithPassword("test0", "viewer", ApiKeys.Viewer), frames: 10, ReadTimeout, ct);
        var denied = await FrameReader.ReadAsync(plane.RtspWithPassword("test0", "viewer", "not-a-key"), frames: 1, ReadTimeout, ct);

        Assert.True(read.Frames == 10, $"decoded {read.Frames} frames in {read.Elapsed.TotalSeconds:0.0} s: {read.Error}");
        Assert.Equal(0, denied.Frames);
        Assert.Contains("401", denied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hls_reader_with_a_token_in_the_query_gets_frames_and_a_header_client_gets_the_playlist_after_the_cookie_check()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(null, ["test0"], ct);
        var token = await plane.Service.TokenAsync("viewer");

        var read = await FrameReader.ReadAsync(plane.Hls("test0", "?token=" + token), frames: 10, ReadTimeout, ct);
        // MediaMTX answers a first playlist request with a 302 to ?cookieCheck=1; a client that follows it with
        // its Authorization header gets the playlist (.NET drops that header on redirects, so it is followed by hand).
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var first = await http.SendAsync(Bearer(plane.Hls("test0"), token), ct);
        var location = new Uri(new Uri(plane.Hls("test0")), first.Headers.Location!);
        using var playlist = await http.SendAsync(Bearer(location.ToString(), token), ct);
        using var anonymous = await http.GetAsync(location, ct);

        Assert.True(read.Frames == 10, $"decoded {read.Frames} frames in {read.Elapsed.TotalSeconds:0.0} s: {read.Error}");
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Contains("cookieCheck", location.Query, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
        Assert.Contains("#EXTM3U", await playlist.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static HttpRequestMessage Bearer(string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task A_woken_ingest_is_not_closed_before_it_publishes_and_is_closed_once_its_reader_left()
    {
        // auto_close_after shorter than an ingest's start: the held reader is not yet a reader in MediaMTX's eyes.
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(null, ["test0"], ct, autoCloseAfter: 1);
        var streams = plane.Service.Services.GetRequiredService<VideoSensor.Media.Ingest.IngestSupervisor>();
        var token = await plane.Service.TokenAsync("viewer");

        var read = await FrameReader.ReadAsync(plane.Rtsp("test0", "?token=" + token), frames: 10, ReadTimeout, ct);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (streams.TryGet("test0") is not null && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, ct);
        }

        Assert.True(read.Frames == 10, $"decoded {read.Frames} frames in {read.Elapsed.TotalSeconds:0.0} s: {read.Error}");
        Assert.Null(streams.TryGet("test0"));
    }

    [Fact]
    public async Task Reader_of_an_already_published_stream_plays_without_waiting_for_the_service()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var plane = await RealDataPlane.StartAsync(null, ["test0"], ct);
        await using var client = await plane.StreamingAsync("test0", ct);
        var token = await plane.Service.TokenAsync("viewer");

        var readers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => FrameReader.ReadAsync(plane.Rtsp("test0", "?token=" + token), frames: 5, ReadTimeout, ct)));
        var url = (await client.CallAsync("get_stream_url", new { device = "test0" }, ct)).EnsureSuccess().Result;

        Assert.All(readers, r => Assert.True(r.Frames == 5, $"decoded {r.Frames} frames: {r.Error}"));
        Assert.True(url.GetProperty("available").GetBoolean());
        Assert.Equal("READY", url.GetProperty("stream_status").GetString());
    }
}
