using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Platform;

namespace VideoSensor.Tests.Snapshots;

/// <summary>
/// take_snapshot is one action: JSON-RPC, REST and a Dapr command all run <c>TakeSnapshot</c>, so they give the
/// same result for the same request and the same contract code for the same mistake.
/// </summary>
public sealed class TakeSnapshotAcrossTransportsTests
{
    [Fact]
    public async Task JsonRpc_REST_and_a_Dapr_command_take_the_same_snapshot_and_fail_with_the_same_codes()
    {
        var ct = DaprTestSetup.Timeout(90);
        await using var sidecar = await FakeDaprSidecar.StartAsync();
        await using var service = await TestService.StartAsync(DaprTestSetup.DaprYaml(sidecar) + "\n" + DaprTestSetup.TestPattern(), cancellationToken: ct);
        await using var rpc = await RpcTestClient.ConnectAsync(service.WebSocketUri, cancellationToken: ct);
        (await rpc.CallAsync("authenticate", new { auth_token = ApiKeys.Admin }, ct)).EnsureSuccess();
        using var rest = await service.HttpAsync("operator");
        using var platform = new HttpClient { BaseAddress = service.BaseUri };

        // One request, three transports: a scaled PNG.
        var viaRpc = (await rpc.CallAsync("take_snapshot", new { device = "cam0", format = "png", max_width = 160, filename = "via-rpc" }, ct)).EnsureSuccess().Result;
        using var restResponse = await rest.PostAsJsonAsync("/api/v1/cameras/cam0/snapshot", new { format = "png", max_width = 160, filename = "via-rest" }, ct);
        Assert.Equal(HttpStatusCode.OK, restResponse.StatusCode);
        var viaRest = await restResponse.Content.ReadFromJsonAsync<JsonElement>(ct);
        var command = await DaprCommands.DeliverAsync(platform, "snap-1", new { action = "snapshot", device = "cam0", @params = new { format = "png", max_width = 160, filename = "via-dapr" } }, ct);
        Assert.Equal("SUCCESS", command.GetProperty("status").GetString());
        var (_, result) = await sidecar.State.WaitForAsync(e => e.GetProperty("type").GetString() == "io.daprcamera.command.result" && e.GetProperty("data").GetProperty("command_id").GetString() == "snap-1", ct);
        var viaDapr = result.GetProperty("data");

        var answers = new (string Name, JsonElement Body)[] { ("via-rpc.png", viaRpc), ("via-rest.png", viaRest), ("via-dapr.png", viaDapr) };
        foreach (var (name, body) in answers)
        {
            Assert.Equal(name, body.GetProperty("filename").GetString());
            Assert.Equal("png", body.GetProperty("format").GetString());
            Assert.Equal($"/files/snapshots/{name}", body.GetProperty("download_url").GetString());
            // The reported size is the stored file's, read from its header, and the request's max_width held.
            var file = Directory.GetFiles(service.StorageRoot, name, SearchOption.AllDirectories).Single();
            var size = ImageSize.TryRead(file) ?? throw new InvalidOperationException($"{name} is not a readable image");
            Assert.Equal($"{size.Width}x{size.Height}", body.GetProperty("resolution").GetString());
            Assert.Equal(160, size.Width);
            Assert.Equal(new FileInfo(file).Length, body.GetProperty("file_size").GetInt64());
        }

        // The same mistakes give the same contract codes on every transport.
        var mistakes = new (string What, object Params, int Code, string? Param)[]
        {
            ("unknown camera", new { device = "nope" }, -32010, null),
            ("quality out of range", new { device = "cam0", quality = 0 }, -32602, "quality"),
            ("a path as the file name", new { device = "cam0", filename = "../x" }, -32602, "filename"),
        };
        var n = 0;
        foreach (var (what, parameters, code, param) in mistakes)
        {
            var rpcError = await rpc.CallAsync("take_snapshot", parameters, ct);
            Assert.True(rpcError.IsError, what);
            Assert.Equal(code, rpcError.ErrorCode);

            var body = JsonSerializer.SerializeToElement(parameters);
            var device = body.GetProperty("device").GetString();
            var restBody = body.EnumerateObject().Where(p => p.Name != "device").ToDictionary(p => p.Name, p => p.Value);
            using var problem = await rest.PostAsJsonAsync($"/api/v1/cameras/{device}/snapshot", restBody, ct);
            var problemBody = await problem.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.Equal(code, problemBody.GetProperty("code").GetInt32());
            Assert.Equal(code == -32010 ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest, problem.StatusCode);

            var id = $"bad-{++n}";
            var dropped = await DaprCommands.DeliverAsync(platform, id, new { action = "snapshot", device, @params = restBody }, ct);
            Assert.Equal("DROP", dropped.GetProperty("status").GetString());
            var (_, failed) = await sidecar.State.WaitForAsync(e => e.GetProperty("type").GetString() == "io.daprcamera.command.result" && e.GetProperty("data").GetProperty("command_id").GetString() == id, ct);
            Assert.Equal("invalid", failed.GetProperty("data").GetProperty("outcome").GetString());
            Assert.Equal(code, failed.GetProperty("data").GetProperty("error_code").GetInt32());

            if (param is not null)
            {
                Assert.Equal(param, rpcError.ErrorData.GetProperty("param").GetString());
                Assert.Equal(param, problemBody.GetProperty("field").GetString());
            }
        }
    }
}
