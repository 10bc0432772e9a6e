using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Cameras;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api.Rest;

/// <summary>GET /api/v1/cameras/{id}/preview.jpg: a real frame from ffmpeg, in memory only, shared between concurrent viewers.</summary>
public sealed class PreviewApiTests
{
    [Fact]
    public async Task A_viewer_gets_a_scaled_jpeg_of_the_camera_and_nothing_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync("viewer");
        using var dir = new TempDirectory();

        using var response = await http.GetAsync("/api/v1/cameras/test0/preview.jpg?max_width=320", ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var file = dir.Combine("preview.jpg");
        await File.WriteAllBytesAsync(file, bytes, ct);
        var probed = await Ffprobe.ProbeAsync(file, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(("mjpeg", 320, 180), (probed.Codec, probed.Width, probed.Height));
        Assert.Equal("camera", response.Headers.GetValues("X-Frame-Source").Single());
        var taken = DateTimeOffset.Parse(response.Headers.GetValues("X-Frame-Time").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - taken, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Empty(service.Services.GetRequiredService<FileStore>().List(FileKind.Snapshot));
        Assert.False(Directory.Exists(Path.Combine(service.StorageRoot, "snapshots", "test0")) && Directory.EnumerateFileSystemEntries(Path.Combine(service.StorageRoot, "snapshots", "test0")).Any());
    }

    [Fact]
    public async Task Concurrent_viewers_share_one_grab()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync("viewer");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => http.GetAsync("/api/v1/cameras/test0/preview.jpg?max_width=160", ct)));
        var times = responses.Select(r => r.Headers.GetValues("X-Frame-Time").Single()).Distinct().ToList();
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync(ct)));
        foreach (var r in responses)
        {
            r.Dispose();
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(times);
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
    }

    [Theory]
    [InlineData("/api/v1/cameras/test0/preview.jpg?max_width=abc", HttpStatusCode.BadRequest, "max_width")]
    [InlineData("/api/v1/cameras/test0/preview.jpg?max_width=0", HttpStatusCode.BadRequest, "max_width")]
    [InlineData("/api/v1/cameras/test0/preview.jpg?max_width=99999", HttpStatusCode.BadRequest, "max_width")]
    [InlineData("/api/v1/cameras/nope/preview.jpg", HttpStatusCode.NotFound, null)]
    [InlineData("/api/v1/cameras/..%2F..%2Fetc/preview.jpg", HttpStatusCode.NotFound, null)]
    public async Task Bad_requests_get_a_clear_problem(string path, HttpStatusCode status, string? field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = await service.HttpAsync("viewer");

        using var response = await http.GetAsync(path, ct);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task A_disconnected_camera_answers_409_with_its_state()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        service.Services.GetRequiredService<CameraRegistry>().SetStatus("test0", CameraStatus.Disconnected, "unplugged by the test");
        using var http = await service.HttpAsync("viewer");

        using var response = await http.GetAsync("/api/v1/cameras/test0/preview.jpg", ct);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("DISCONNECTED", problem.GetProperty("state").GetString());
    }
}
