using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras;

/// <summary>
/// A feed added at run time is one thing: JSON-RPC <c>add_external_stream</c> and REST <c>/api/v1/sources</c> run the
/// same use cases over one store, so each sees what the other added, both refuse the same mistakes with the same
/// contract codes, and streams kept by earlier versions in their own file are carried over, not lost.
/// </summary>
public sealed class SourcesAcrossTransportsTests
{
    [Fact]
    public async Task A_feed_added_over_JSON_RPC_or_REST_is_one_feed_with_the_same_rules()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var yard = await RtspTestServer.StartAsync(keyInt: 5);
        await using var gate = await RtspTestServer.StartAsync(keyInt: 5);
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        await using var rpc = await service.ConnectAsync("operator", ct);
        using var rest = await service.HttpAsync("operator");

        (await rpc.CallAsync("add_external_stream", new { stream_url = yard.Url, stream_name = "yard", stream_type = "ip_camera" }, ct)).EnsureSuccess();
        using var created = await rest.PostAsJsonAsync("/api/v1/sources", new { id = "gate", url = gate.Url }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Each transport lists both, with the camera status the probe measured before the add answered.
        var sources = (await rest.GetFromJsonAsync<JsonElement>("/api/v1/sources", ct)).GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(yard.Url, sources["yard"].GetProperty("url").GetString());
        Assert.Equal("api", sources["yard"].GetProperty("origin").GetString());
        Assert.Equal("CONNECTED", sources["gate"].GetProperty("status").GetString());
        var streams = (await rpc.CallAsync("get_external_streams", cancellationToken: ct)).EnsureSuccess().Result.GetProperty("external_streams").EnumerateArray()
            .ToDictionary(s => s.GetProperty("stream_name").GetString()!);
        Assert.Equal(gate.Url, streams["gate"].GetProperty("stream_url").GetString());
        Assert.Equal("ip_camera", streams["yard"].GetProperty("stream_type").GetString());
        Assert.Equal("CONNECTED", streams["yard"].GetProperty("status").GetString());

        // The same mistakes, the same contract codes, naming each transport's own field.
        var mistakes = new (string What, object RpcParams, object RestBody, int Code, string? RpcParam, string? RestField)[]
        {
            ("id taken", new { stream_url = "rtsp://127.0.0.1:9/other", stream_name = "gate" }, new { id = "yard", url = "rtsp://127.0.0.1:9/other" }, -32020, null, null),
            ("URL taken", new { stream_url = gate.Url, stream_name = "gate2" }, new { id = "yard2", url = yard.Url }, -32020, null, null),
            ("not RTSP", new { stream_url = "http://127.0.0.1:9/x", stream_name = "cam9" }, new { id = "cam9", url = "http://127.0.0.1:9/x" }, -32602, "stream_url", "url"),
            ("credentials in the URL", new { stream_url = "rtsp://admin:pw@127.0.0.1:9/x", stream_name = "cam9" }, new { id = "cam9", url = "rtsp://admin:pw@127.0.0.1:9/x" }, -32602, "stream_url", "url"),
            ("a path as the id", new { stream_url = "rtsp://127.0.0.1:9/x", stream_name = "../cam9" }, new { id = "../cam9", url = "rtsp://127.0.0.1:9/x" }, -32602, "stream_name", "id"),
        };
        foreach (var (what, rpcParams, restBody, code, rpcParam, restField) in mistakes)
        {
            var rpcError = await rpc.CallAsync("add_external_stream", rpcParams, ct);
            Assert.True(rpcError.IsError, what);
            Assert.Equal(code, rpcError.ErrorCode);
            using var problem = await rest.PostAsJsonAsync("/api/v1/sources", restBody, ct);
            var problemBody = await problem.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(code, problemBody.GetProperty("code").GetInt32());
            Assert.Equal(code == -32020 ? HttpStatusCode.Conflict : HttpStatusCode.BadRequest, problem.StatusCode);
            if (rpcParam is not null)
            {
                Assert.Equal(rpcParam, rpcError.ErrorData.GetProperty("param").GetString());
                Assert.Equal(restField, problemBody.GetProperty("field").GetString());
            }

            Assert.DoesNotContain("pw@", rpcError.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("pw@", problemBody.ToString(), StringComparison.Ordinal);
        }

        // Removed over one transport, gone from the other, camera and all.
        (await rpc.CallAsync("remove_external_stream", new { stream_url = gate.Url }, ct)).EnsureSuccess();
        using var goneOverRest = await rest.GetAsync("/api/v1/sources/gate", ct);
        Assert.Equal(HttpStatusCode.NotFound, goneOverRest.StatusCode);
        using var deleted = await rest.DeleteAsync("/api/v1/sources/yard", ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, (await rpc.CallAsync("get_external_streams", cancellationToken: ct)).EnsureSuccess().Result.GetProperty("total_count").GetInt32());
        Assert.Equal(-32010, (await rpc.CallAsync("get_camera_status", new { device = "yard" }, ct)).ErrorCode);
    }

    [Fact]
    public async Task Streams_an_earlier_version_kept_in_their_own_file_are_carried_over_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var camera = await RtspTestServer.StartAsync(keyInt: 5);
        using var root = new TempDirectory();
        var state = Path.Combine(root.Path, "storage", "state");
        Directory.CreateDirectory(state);
        var legacy = Path.Combine(state, "external-streams.json");
        await File.WriteAllTextAsync(legacy, $$"""
            [{"name":"porch","url":"{{camera.Url}}","type":"generic_rtsp","added":"2026-11-30T10:00:00+00:00",
              "username":{"secret":"cams","key":"porch.user"},"password":null}]
            """, ct);

        await using (var service = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            await using var rpc = await service.ConnectAsync("operator", ct);
            var stream = Assert.Single((await rpc.CallAsync("get_external_streams", cancellationToken: ct)).EnsureSuccess().Result.GetProperty("external_streams").EnumerateArray());
            Assert.Equal("porch", stream.GetProperty("stream_name").GetString());
            Assert.Equal("generic_rtsp", stream.GetProperty("stream_type").GetString());
            Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(stream.GetProperty("added_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            using var rest = await service.HttpAsync("viewer");
            var source = await rest.GetFromJsonAsync<JsonElement>("/api/v1/sources/porch", ct);
            Assert.Equal("porch.user", source.GetProperty("username").GetProperty("key").GetString());
        }

        // The old file is set aside (not deleted) once the sources hold its streams, so a restart imports nothing twice.
        Assert.False(File.Exists(legacy));
        Assert.True(File.Exists(legacy + ".imported"));
        Assert.Contains("porch", await File.ReadAllTextAsync(Path.Combine(state, "sources.json"), ct), StringComparison.Ordinal);
        await using (var again = await TestService.StartAsync(root: root, cancellationToken: ct))
        {
            await using var rpc = await again.ConnectAsync("viewer", ct);
            Assert.Equal(1, (await rpc.CallAsync("get_external_streams", cancellationToken: ct)).EnsureSuccess().Result.GetProperty("total_count").GetInt32());
        }
    }
}
