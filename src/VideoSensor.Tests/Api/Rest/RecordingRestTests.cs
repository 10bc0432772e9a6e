using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api.Rest;

/// <summary>Starting and stopping a recording over REST, with the same rules as JSON-RPC.</summary>
public sealed class RecordingRestTests
{
    [Fact]
    public async Task Operator_records_over_rest_and_the_files_are_real_while_a_viewer_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var viewer = await service.HttpAsync("viewer");
        using var operatorHttp = await service.HttpAsync("operator");

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri("/api/v1/cameras/test0/recording", UriKind.Relative), null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorHttp.PostAsync(new Uri("/api/v1/cameras/test0/recording?duration=-3", UriKind.Relative), null, ct)).StatusCode);

        var started = await operatorHttp.PostAsync(new Uri("/api/v1/cameras/test0/recording?format=fmp4", UriKind.Relative), null, ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal("RECORDING", (await started.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await operatorHttp.PostAsync(new Uri("/api/v1/cameras/test0/recording", UriKind.Relative), null, ct)).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var stopped = await operatorHttp.DeleteAsync(new Uri("/api/v1/cameras/test0/recording", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        var summary = await stopped.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal("STOPPED", summary.GetProperty("status").GetString());

        var files = Directory.GetFiles(Path.Combine(service.StorageRoot, "recordings", "test0"));
        Assert.NotEmpty(files);
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), summary.GetProperty("file_size").GetInt64());
        var probed = await Ffprobe.ProbeAsync(files.Order(StringComparer.Ordinal).First(), ct);
        Assert.Equal("h264", probed.Codec);
    }
}
