using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api.Rest;

/// <summary>PATCH /api/v1/config: validated like the file, live keys applied at once, everything persisted.</summary>
public sealed class ConfigPatchTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Live_keys_apply_now_others_wait_for_a_restart_and_both_survive_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        await using (var service = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            using var viewer = await service.HttpAsync("viewer");
            using var admin = await service.HttpAsync("admin");
            var uri = new Uri("/api/v1/config", UriKind.Relative);

            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PatchAsync(uri, Json("{\"cameras\":{\"rtsp_probe_interval_seconds\":7}}"), ct)).StatusCode);

            var bad = await admin.PatchAsync(uri, Json("{\"server\":{\"port\":70000}}"), ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("server.port", await bad.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            var unknown = await admin.PatchAsync(uri, Json("{\"server\":{\"prot\":1}}"), ct);
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("server.prot", await unknown.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.PatchAsync(uri, Json("{\"server\":null}"), ct)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.PatchAsync(uri, Json("not json"), ct)).StatusCode);

            var patched = await admin.PatchAsync(uri, Json("{\"cameras\":{\"rtsp_probe_interval_seconds\":7},\"server\":{\"max_connections\":50}}"), ct);
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            var result = await patched.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(["cameras.rtsp_probe_interval_seconds"], result.GetProperty("applied").EnumerateArray().Select(k => k.GetString()));
            Assert.Equal(["server.max_connections"], result.GetProperty("restart_required").EnumerateArray().Select(k => k.GetString()));

            var now = await viewer.GetFromJsonAsync<JsonElement>(uri, ct);
            Assert.Equal(7, now.GetProperty("cameras").GetProperty("rtsp_probe_interval_seconds").GetInt32());
            Assert.Equal(1000, now.GetProperty("server").GetProperty("max_connections").GetInt32());
        }

        await using (var service = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            using var viewer = await service.HttpAsync("viewer");
            var after = await viewer.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/config", UriKind.Relative), ct);
            Assert.Equal(7, after.GetProperty("cameras").GetProperty("rtsp_probe_interval_seconds").GetInt32());
            Assert.Equal(50, after.GetProperty("server").GetProperty("max_connections").GetInt32());
        }
    }
}
