using Microsoft.Extensions.Options;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Security;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Media;

/// <summary>The typed client against the contract double: every exchange checked against the spec; failures come back clear.</summary>
public sealed class MediaMtxClientTests : IAsyncDisposable
{
    private readonly MediaMtxDouble _double = new();
    private readonly HttpClient _http;

    public MediaMtxClientTests() => _http = new HttpClient { BaseAddress = new Uri($"http://{_double.ApiAddress}/") };

    internal static MediaMtxClient CreateClient(HttpClient http, string apiAddress, int timeoutSeconds = 2)
    {
        var redactor = new SecretRedactor();
        var options = Options.Create(new MediaOptions { MediaMtx = new MediaMtxOptions { ApiAddress = apiAddress, RequestTimeoutSeconds = timeoutSeconds } });
        return new MediaMtxClient(http, new InternalCredential(redactor), redactor, options);
    }

    private MediaMtxClient Client(int timeoutSeconds = 2) => CreateClient(_http, _double.ApiAddress, timeoutSeconds);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _double.DisposeAsync();
    }

    [Fact]
    public async Task Path_config_round_trip_matches_the_spec()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client();

        var info = await client.GetInfoAsync(ct);
        await client.AddPathAsync("cam1", new PathConf { Source = "rtsp://u:p@10.0.0.5/live", RtspTransport = "tcp", SourceOnDemand = true }, ct);
        await client.AddPathAsync("cam2", new PathConf { Source = "publisher" }, ct);
        await client.PatchPathAsync("cam1", new PathConf { RtspTransport = "udp" }, ct);
        await client.ReplacePathAsync("cam2", new PathConf { Source = "publisher", MaxReaders = 4 }, ct);
        var configs = await client.ListPathConfigsAsync(ct);
        _double.SetLive("cam2", ready: true, readers: 2, bytesSent: 4242);
        var live = await client.GetPathAsync("cam2", ct);
        var all = await client.ListPathsAsync(ct);
        await client.DeletePathAsync("cam1", ct);
        var missing = await client.GetPathAsync("cam1", ct);

        Assert.Empty(_double.Violations);
        Assert.Equal("v1.20.1", info.Version);
        Assert.Equal(["cam1", "cam2"], configs.Select(c => c.Name));
        Assert.Equal("udp", configs[0].RtspTransport);
        Assert.Equal("rtsp://u:p@10.0.0.5/live", configs[0].Source);
        Assert.Equal(4, configs[1].MaxReaders);
        Assert.NotNull(live);
        Assert.True(live.IsReady);
        Assert.Equal(2, live.Readers.Count);
        Assert.Equal(4242, live.BytesOut);
        Assert.Equal(2, all.Count);
        Assert.Null(missing);
        Assert.Equal(["cam2"], _double.Configs.Keys);
    }

    [Fact]
    public async Task Listing_follows_every_page()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client();
        for (var i = 0; i < 105; i++)
        {
            await client.AddPathAsync($"p{i:000}", new PathConf { Source = "publisher" }, ct);
        }

        Assert.Equal(105, (await client.ListPathConfigsAsync(ct)).Count);
        Assert.Equal(105, (await client.ListPathsAsync(ct)).Count);
        Assert.Empty(_double.Violations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("cam 1")]
    [InlineData("-leading")]
    [InlineData("x?y=1")]
    public async Task Invalid_path_names_are_refused_before_any_call(string name)
    {
        var client = Client();
        var ex = await Assert.ThrowsAsync<MediaMtxException>(() => client.AddPathAsync(name, new PathConf { Source = "publisher" }, TestContext.Current.CancellationToken));
        Assert.Equal(MediaMtxFailure.InvalidRequest, ex.Failure);
        Assert.Contains("not a valid stream path name", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_double.Calls);
    }

    [Fact]
    public async Task MediaMTX_400_and_404_come_back_as_clear_errors()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Client();
        await client.AddPathAsync("cam1", new PathConf { Source = "publisher" }, ct);

        var duplicate = await Assert.ThrowsAsync<MediaMtxException>(() => client.AddPathAsync("cam1", new PathConf { Source = "publisher" }, ct));
        var missing = await Assert.ThrowsAsync<MediaMtxException>(() => client.DeletePathAsync("nope", ct));
        var patchMissing = await Assert.ThrowsAsync<MediaMtxException>(() => client.PatchPathAsync("nope", new PathConf { Source = "publisher" }, ct));

        Assert.Equal((MediaMtxFailure.Rejected, 400), (duplicate.Failure, duplicate.StatusCode));
        Assert.Contains("path already exists", duplicate.Message, StringComparison.Ordinal);
        Assert.Equal((MediaMtxFailure.NotFound, 404), (missing.Failure, missing.StatusCode));
        Assert.Contains("delete path 'nope'", missing.Message, StringComparison.Ordinal);
        Assert.Equal(MediaMtxFailure.NotFound, patchMissing.Failure);
        Assert.Empty(_double.Violations);
    }

    [Fact]
    public async Task MediaMTX_500_is_a_server_error_with_its_message()
    {
        _double.Fault = DoubleFault.ServerError;
        var ex = await Assert.ThrowsAsync<MediaMtxException>(() => Client().ListPathConfigsAsync(TestContext.Current.CancellationToken));
        Assert.Equal((MediaMtxFailure.ServerError, 500), (ex.Failure, ex.StatusCode));
        Assert.Contains("injected failure", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_MediaMTX_that_never_answers_times_out()
    {
        _double.Fault = DoubleFault.Hang;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<MediaMtxException>(() => Client(timeoutSeconds: 1).GetInfoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(MediaMtxFailure.Unreachable, ex.Failure);
        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
        Assert.InRange(started.Elapsed.TotalSeconds, 0.5, 20);
    }

    [Fact]
    public async Task Nothing_listening_is_unreachable()
    {
        var port = Fixtures.FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var ex = await Assert.ThrowsAsync<MediaMtxException>(() => CreateClient(http, $"127.0.0.1:{port}").GetInfoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(MediaMtxFailure.Unreachable, ex.Failure);
        Assert.Contains("not reachable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_text_with_credentials_is_masked()
    {
        _double.Fault = DoubleFault.RejectEchoingSource;
        var ex = await Assert.ThrowsAsync<MediaMtxException>(() => Client().AddPathAsync("cam9", new PathConf { Source = "rtsp://admin:hunter22@cam/x" }, TestContext.Current.CancellationToken));
        Assert.Equal(MediaMtxFailure.Rejected, ex.Failure);
        Assert.Contains("invalid source: 'rtsp://***@cam/x'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", ex.Message, StringComparison.Ordinal);
    }
}
