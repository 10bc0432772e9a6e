using System.Net;
using System.Net.Http.Headers;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Snapshots;

/// <summary>Snapshots end to end: real ffmpeg frames, measured sizes, listings that match the disk, downloads with auth.</summary>
public sealed class SnapshotApiTests : IAsyncLifetime
{
    private TestService _service = null!;
    private RpcTestClient _operator = null!;

    public async ValueTask InitializeAsync()
    {
        _service = await TestService.StartAsync();
        _operator = await _service.ConnectAsync("operator");
    }

    public async ValueTask DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _service.DisposeAsync();
    }

    private async Task<System.Text.Json.JsonElement> SnapAsync(object parameters) =>
        (await _operator.CallAsync("take_snapshot", parameters, TestContext.Current.CancellationToken)).EnsureSuccess().Result;

    [Fact]
    public async Task Jpeg_snapshot_is_a_real_frame_of_the_camera_size_with_its_measured_size()
    {
        var result = await SnapAsync(new { device = "test0" });

        var path = Path.Combine(_service.StorageRoot, result.GetProperty("file_path").GetString()!);
        var probed = await Ffprobe.ProbeAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("mjpeg", probed.Codec);
        Assert.Equal((640, 360), (probed.Width, probed.Height));
        Assert.Equal(new FileInfo(path).Length, result.GetProperty("file_size").GetInt64());
        Assert.Equal("640x360", result.GetProperty("resolution").GetString());
        Assert.StartsWith("test0_", result.GetProperty("filename").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(result.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Png_with_a_size_limit_keeps_the_aspect_ratio()
    {
        var result = await SnapAsync(new { device = "test0", format = "png", max_width = 320 });

        var probed = await Ffprobe.ProbeAsync(Path.Combine(_service.StorageRoot, result.GetProperty("file_path").GetString()!), TestContext.Current.CancellationToken);
        Assert.Equal("png", probed.Codec);
        Assert.Equal((320, 180), (probed.Width, probed.Height));
        Assert.EndsWith(".png", result.GetProperty("filename").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lower_quality_makes_a_smaller_jpeg()
    {
        var low = await SnapAsync(new { device = "test0", quality = 5 });
        var high = await SnapAsync(new { device = "test0", quality = 95 });

        Assert.True(low.GetProperty("file_size").GetInt64() < high.GetProperty("file_size").GetInt64());
    }

    [Fact]
    public async Task A_custom_name_is_kept_and_a_taken_one_gets_a_number()
    {
        var first = await SnapAsync(new { device = "test0", filename = "front_gate-night.jpg" });
        var second = await SnapAsync(new { device = "test0", filename = "front_gate-night.jpg" });
        var bare = await SnapAsync(new { device = "test0", filename = "porch" });

        Assert.Equal("front_gate-night.jpg", first.GetProperty("filename").GetString());
        Assert.Equal("front_gate-night_1.jpg", second.GetProperty("filename").GetString());
        Assert.Equal("porch.jpg", bare.GetProperty("filename").GetString());
    }

    [Theory]
    [InlineData("front gate (night).jpg")]
    [InlineData("snap.png")]
    [InlineData(".hidden.jpg")]
    [InlineData("ünïcode.jpg")]
    public async Task A_name_outside_the_rule_is_refused_not_renamed(string name)
    {
        var response = await _operator.CallAsync("take_snapshot", new { device = "test0", filename = name }, TestContext.Current.CancellationToken);

        Assert.Equal(-32602, response.ErrorCode);
        Assert.Equal("filename", response.ErrorData.GetProperty("param").GetString());
        Assert.DoesNotContain(Directory.EnumerateFiles(_service.StorageRoot, "*", SearchOption.AllDirectories), f => f.Contains("snapshots", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_over_the_length_limit_is_refused_not_truncated()
    {
        var response = await _operator.CallAsync("take_snapshot", new { device = "test0", filename = new string('a', 1000) }, TestContext.Current.CancellationToken);

        Assert.Equal(-32602, response.ErrorCode);
        Assert.Contains("180", response.ErrorData.GetProperty("rule").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_info_download_and_delete_agree_with_the_disk()
    {
        var ct = TestContext.Current.CancellationToken;
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            names.Add((await SnapAsync(new { device = "test0" })).GetProperty("filename").GetString()!);
        }

        await using var viewer = await _service.ConnectAsync("viewer", ct);
        var page = (await viewer.CallAsync("list_snapshots", new { limit = 2, offset = 0 }, ct)).EnsureSuccess().Result;
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("files").GetArrayLength());
        var rest = (await viewer.CallAsync("list_snapshots", new { limit = 2, offset = 2, device = "test0" }, ct)).EnsureSuccess().Result;
        Assert.Equal(1, rest.GetProperty("files").GetArrayLength());
        var listed = page.GetProperty("files").EnumerateArray().Concat(rest.GetProperty("files").EnumerateArray()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(f => f.GetProperty("filename").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await viewer.CallAsync("list_snapshots", new { device = "other" }, ct)).EnsureSuccess().Result.GetProperty("total").GetInt32());

        var info = (await viewer.CallAsync("get_snapshot_info", new { filename = names[0] }, ct)).EnsureSuccess().Result;
        Assert.Equal("640x360", info.GetProperty("resolution").GetString());
        Assert.Equal("test0", info.GetProperty("device").GetString());
        Assert.Equal("jpg", info.GetProperty("format").GetString());

        using var http = await _service.HttpAsync("viewer");
        foreach (var file in listed)
        {
            var bytes = await http.GetByteArrayAsync(new Uri(_service.BaseUri, file.GetProperty("download_url").GetString()), ct);
            Assert.Equal(file.GetProperty("file_size").GetInt64(), bytes.Length);
        }

        var deleted = (await _operator.CallAsync("delete_snapshot", new { filename = names[0] }, ct)).EnsureSuccess().Result;
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(_service.BaseUri, $"/files/snapshots/{names[0]}"), ct)).StatusCode);
        Assert.Equal(-32010, (await viewer.CallAsync("get_snapshot_info", new { filename = names[0] }, ct)).ErrorCode);
        Assert.Equal(2, (await viewer.CallAsync("list_snapshots", cancellationToken: ct)).EnsureSuccess().Result.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Downloads_need_a_credential_and_accept_bearer_api_key_and_query_token()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = (await SnapAsync(new { device = "test0" })).GetProperty("filename").GetString()!;
        var url = new Uri(_service.BaseUri, $"/files/snapshots/{name}");
        using var anonymous = new HttpClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url, ct)).StatusCode);
        using var badKey = new HttpRequestMessage(HttpMethod.Get, url);
        badKey.Headers.Add("X-API-Key", "nope-nope-nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(badKey, ct)).StatusCode);

        using var withKey = new HttpRequestMessage(HttpMethod.Get, url);
        withKey.Headers.Add("X-API-Key", ApiKeys.Viewer);
        var keyed = await anonymous.SendAsync(withKey, ct);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal(name, keyed.Content.Headers.ContentDisposition?.FileNameStar ?? keyed.Content.Headers.ContentDisposition?.FileName);

        var token = await _service.TokenAsync("viewer");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri($"{url}?token={token}"), ct)).StatusCode);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        ranged.Headers.Range = new RangeHeaderValue(0, 1);
        var partial = await anonymous.SendAsync(ranged, ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal([0xFF, 0xD8], await partial.Content.ReadAsByteArrayAsync(ct));
    }

    [Theory]
    [InlineData("..%2F..%2Fstate%2Fdev-jwt-secret")]
    [InlineData("%2E%2E")]
    [InlineData("..")]
    [InlineData(".hidden")]
    public async Task Traversal_in_a_download_name_never_reaches_a_file(string name)
    {
        using var http = await _service.HttpAsync("admin");

        var response = await http.GetAsync(new Uri(_service.BaseUri + "files/snapshots/" + name), TestContext.Current.CancellationToken);

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.NotFound });
        Assert.NotEqual("image/jpeg", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/b.jpg")]
    [InlineData("..")]
    [InlineData("x\\y.jpg")]
    public async Task File_names_with_paths_are_invalid_params(string name)
    {
        var ct = TestContext.Current.CancellationToken;

        var info = await _operator.CallAsync("get_snapshot_info", new { filename = name }, ct);
        var delete = await _operator.CallAsync("delete_snapshot", new { filename = name }, ct);
        var take = await _operator.CallAsync("take_snapshot", new { device = "test0", filename = name }, ct);

        foreach (var response in new[] { info, delete, take })
        {
            Assert.Equal(-32602, response.ErrorCode);
            Assert.Equal("filename", response.ErrorData.GetProperty("param").GetString());
        }
    }
}
