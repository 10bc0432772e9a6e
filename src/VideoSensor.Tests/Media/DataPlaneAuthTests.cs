using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media;

/// <summary>MediaMTX's HTTP auth callback, called the way MediaMTX calls it.</summary>
public sealed class DataPlaneAuthTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async ValueTask InitializeAsync() => _service = await TestService.StartAsync("""
        media:
          mediamtx:
            mode: disabled
        """);

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    private async Task<HttpStatusCode> AskAsync(object body)
    {
        using var http = await _service.HttpAsync();
        using var response = await http.PostAsJsonAsync(MediaMtxConfigWriter.AuthRoute, body, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task Client_tokens_may_read_but_not_publish()
    {
        var jwt = await _service.TokenAsync("viewer");

        Assert.Equal(HttpStatusCode.OK, await AskAsync(new { user = "", password = "", token = jwt, ip = "127.0.0.1", action = "read", path = "test0", protocol = "webrtc", id = "1", query = "" }));
        Assert.Equal(HttpStatusCode.OK, await AskAsync(new { user = "any", password = jwt, action = "read", path = "test0", protocol = "rtsp" }));
        Assert.Equal(HttpStatusCode.OK, await AskAsync(new { user = "viewer", password = ApiKeys.Viewer, action = "playback", path = "test0", protocol = "hls" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { token = jwt, action = "publish", path = "test0", protocol = "rtsp" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { token = jwt, action = "api", path = "", protocol = "" }));
    }

    [Fact]
    public async Task A_token_in_the_query_may_read_as_a_browser_hls_player_sends_it()
    {
        var jwt = await _service.TokenAsync("viewer");

        Assert.Equal(HttpStatusCode.OK, await AskAsync(new { user = "", password = "", token = "", action = "read", path = "test0", protocol = "hls", query = $"token={Uri.EscapeDataString(jwt)}" }));
        Assert.Equal(HttpStatusCode.OK, await AskAsync(new { action = "read", path = "test0", protocol = "hls", query = $"a=1&token={ApiKeys.Viewer}" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { action = "read", path = "test0", protocol = "hls", query = "token=wrong" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { action = "publish", path = "test0", protocol = "rtsp", query = $"token={Uri.EscapeDataString(jwt)}" }));
    }

    [Fact]
    public async Task A_read_of_an_idle_camera_is_answered_at_once_and_wakes_its_ingest_in_the_background()
    {
        // MediaMTX serves nothing else while it waits for this answer, so waiting here for the ingest to publish
        // would freeze the very server the ingest publishes to. An external "MediaMTX" that never comes up keeps
        // the ingest from ever publishing: an answer that waited for it would take the publish timeout.
        await using var mtx = new Contract.MediaMtxDouble();
        await using var service = await TestService.StartAsync(ExternalMediaMtx.Yaml(mtx, publishTimeoutSeconds: 10));
        await ExternalMediaMtx.WaitUntilRunningAsync(service.Services.GetRequiredService<MediaMtxState>(), TimeSpan.FromSeconds(30));
        var jwt = await service.TokenAsync("viewer");
        var streams = service.Services.GetRequiredService<VideoSensor.Media.Ingest.IngestSupervisor>();
        using var http = await service.HttpAsync();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync(MediaMtxConfigWriter.AuthRoute,
            new { user = "any", password = "", token = "", action = "read", path = "test0", protocol = "rtsp", query = $"token={jwt}" }, TestContext.Current.CancellationToken);
        var answeredIn = watch.Elapsed;
        while (streams.TryGet("test0") is null && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(answeredIn < TimeSpan.FromSeconds(2), $"answered after {answeredIn.TotalSeconds:0.00} s");
        Assert.NotNull(streams.TryGet("test0"));
    }

    [Fact]
    public async Task Bad_or_missing_credentials_are_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { token = "a.b.c", action = "read", path = "test0" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { user = "x", password = "wrong-key", action = "read", path = "test0" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { action = "read", path = "test0" }));
        using var http = await _service.HttpAsync();
        using var garbage = await http.PostAsync(MediaMtxConfigWriter.AuthRoute, new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task The_internal_credential_may_publish_and_use_the_API_and_nothing_else_matches_it()
    {
        var credential = _service.Services.GetRequiredService<InternalCredential>();

        Assert.Equal(HttpStatusCode.OK, await AskAsync(new { user = credential.User, password = credential.Password, action = "publish", path = "test0", protocol = "rtsp" }));
        Assert.Equal(HttpStatusCode.OK, await AskAsync(new { user = credential.User, password = credential.Password, action = "api" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { user = credential.User, password = credential.Password + "x", action = "publish", path = "test0" }));
        Assert.Equal(HttpStatusCode.Unauthorized, await AskAsync(new { user = "someone", password = credential.Password, action = "publish", path = "test0" }));
    }
}
