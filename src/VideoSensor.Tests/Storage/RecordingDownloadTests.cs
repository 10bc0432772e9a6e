using System.Net;
using System.Net.Http.Headers;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Recording;

namespace VideoSensor.Tests.Storage;

/// <summary>One service with a few seconds of real recorded segments, shared by the download tests.</summary>
public sealed class RecordedFiles : IAsyncLifetime
{
    public TestService Service { get; private set; } = null!;
    public RpcTestClient Client { get; private set; } = null!;
    public List<string> Names { get; } = [];

    public async ValueTask InitializeAsync()
    {
        Service = await TestService.StartAsync(TestPatternRecording.Camera);
        Client = await Service.ConnectAsync("operator");
        var files = await TestPatternRecording.RecordAsync(Service, Client, 5);
        Names.AddRange(files.Select(f => f.GetProperty("filename").GetString()!));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Service.DisposeAsync();
    }
}

/// <summary>Downloading recorded segments over REST: byte ranges, headers, auth forms, and traversal attempts.</summary>
public sealed class RecordingDownloadTests(RecordedFiles recorded) : IClassFixture<RecordedFiles>
{
    private readonly TestService _service = recorded.Service;
    private readonly RpcTestClient _client = recorded.Client;

    // The newest segment is read; the oldest is the one the delete test removes.
    private readonly string _name = recorded.Names[0];
    private byte[] Bytes => File.ReadAllBytes(Path.Combine(recorded.Service.StorageRoot, "recordings", "test0", recorded.Names[0]));

    [Fact]
    public async Task Whole_file_has_the_video_content_type_and_attachment_name()
    {
        using var http = await _service.HttpAsync("viewer");
        using var response = await http.GetAsync(new Uri($"/files/recordings/{_name}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_name, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal(Bytes, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("first")]
    [InlineData("middle")]
    [InlineData("last")]
    public async Task A_byte_range_returns_206_with_exactly_thoseBytes(string where)
    {
        var length = Bytes.Length;
        var (from, to) = where switch
        {
            "first" => (0, 99),
            "middle" => (length / 2 - 500, length / 2 + 499),
            _ => (length - 100, length - 1),
        };
        using var http = await _service.HttpAsync("viewer");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/files/recordings/{_name}", UriKind.Relative));
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(new ContentRangeHeaderValue(from, to, length), response.Content.Headers.ContentRange);
        Assert.Equal(Bytes[from..(to + 1)], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_suffix_range_and_an_unsatisfiable_range_are_answered_correctly()
    {
        using var http = await _service.HttpAsync("viewer");
        using var suffix = new HttpRequestMessage(HttpMethod.Get, new Uri($"/files/recordings/{_name}", UriKind.Relative));
        suffix.Headers.Range = new RangeHeaderValue(null, 10);
        using var tail = await http.SendAsync(suffix, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(Bytes[^10..], await tail.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        using var beyond = new HttpRequestMessage(HttpMethod.Get, new Uri($"/files/recordings/{_name}", UriKind.Relative));
        beyond.Headers.Range = new RangeHeaderValue(Bytes.Length + 10, Bytes.Length + 20);
        using var none = await http.SendAsync(beyond, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, none.StatusCode);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("api-key")]
    [InlineData("query")]
    public async Task Every_credential_form_is_accepted_and_none_is_refused(string form)
    {
        using var http = await _service.HttpAsync();
        var uri = $"/files/recordings/{_name}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(form == "query" ? $"{uri}?token={await _service.TokenAsync("viewer")}" : uri, UriKind.Relative));
        if (form == "bearer")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _service.TokenAsync("viewer"));
        }
        else if (form == "api-key")
        {
            request.Headers.Add("X-API-Key", ApiKeys.Viewer);
        }

        using var ok = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(Bytes.Length, (await ok.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);

        using var anonymous = await http.GetAsync(new Uri(uri, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, new Uri(uri, UriKind.Relative));
        wrongKey.Headers.Add("X-API-Key", "not-a-key-0000000000");
        using var refused = await http.SendAsync(wrongKey, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("..%2f..%2fstate%2fdev-jwt-secret")]
    [InlineData("%2e%2e%2f%2e%2e%2fstate%2fdev-jwt-secret")]
    [InlineData("%2e%2e")]
    [InlineData("..%5c..%5cconfig.yaml")]
    [InlineData("test0%2f{0}")]
    [InlineData(".%2e%2f.%2e%2fstate%2fdev-jwt-secret")]
    public async Task Traversal_attempts_never_reach_a_file(string template)
    {
        using var http = await _service.HttpAsync("admin");
        var path = "/files/recordings/" + string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _name);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path} answered {(int)response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("ftyp", body, StringComparison.Ordinal);
        Assert.DoesNotContain(await File.ReadAllTextAsync(Path.Combine(_service.StorageRoot, "state", "dev-jwt-secret"), TestContext.Current.CancellationToken), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listed_file_can_be_deleted_and_is_then_gone_everywhere()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(recorded.Names.Count >= 2, "the recording must have several segments");
        var victim = recorded.Names[^1];
        var deleted = await TestPatternRecording.CallAsync(_client, "delete_recording", new { filename = victim });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());

        Assert.False(File.Exists(Path.Combine(_service.StorageRoot, "recordings", "test0", victim)));
        var list = await TestPatternRecording.CallAsync(_client, "list_recordings", new { device = "test0" });
        Assert.DoesNotContain(list.GetProperty("files").EnumerateArray(), f => f.GetProperty("filename").GetString() == victim);
        using var http = await _service.HttpAsync("viewer");
        using var download = await http.GetAsync(new Uri($"/files/recordings/{victim}", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        var again = await _client.CallAsync("delete_recording", new { filename = victim }, ct);
        Assert.Equal(-32010, again.ErrorCode);
        var info = await _client.CallAsync("get_recording_info", new { filename = "../" + victim }, ct);
        Assert.Equal(-32602, info.ErrorCode);
    }
}
