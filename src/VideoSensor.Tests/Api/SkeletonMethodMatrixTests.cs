using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>Each method of the skeleton × caller role, and the documented errors for bad params and unknown cameras.</summary>
public sealed class SkeletonMethodMatrixTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async ValueTask InitializeAsync() => _service = await TestService.StartAsync();

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    public static TheoryData<string, string, string?> Matrix()
    {
        var data = new TheoryData<string, string, string?>();
        (string Method, string Params, string Needs)[] methods =
        [
            ("get_camera_list", "{}", "viewer"),
            ("get_camera_status", "{\"device\":\"test0\"}", "viewer"),
            ("get_camera_capabilities", "{\"device\":\"test0\"}", "viewer"),
            ("get_server_info", "{}", "viewer"),
            ("list_snapshots", "{}", "viewer"),
            ("take_snapshot", "{\"device\":\"test0\",\"max_width\":160}", "operator"),
            ("subscribe_events", "{\"topics\":[\"camera.connected\"]}", "viewer"),
        ];
        string?[] roles = [null, "viewer", "operator", "admin"];
        foreach (var (method, parameters, needs) in methods)
        {
            foreach (var role in roles)
            {
                data.Add(method, parameters, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Role_matrix(string method, string parametersJson, string? role)
    {
        await using var client = await _service.ConnectAsync(role);
        var parameters = System.Text.Json.JsonDocument.Parse(parametersJson).RootElement;
        var needs = method == "take_snapshot" ? 2 : 1;

        var response = await client.CallAsync(method, parameters, TestContext.Current.CancellationToken);

        var have = role switch { "viewer" => 1, "operator" => 2, "admin" => 3, _ => 0 };
        if (have == 0)
        {
            Assert.Equal(-32001, response.ErrorCode);
        }
        else if (have < needs)
        {
            Assert.Equal(-32002, response.ErrorCode);
            Assert.Equal("operator", response.ErrorData.GetProperty("required_role").GetString());
            Assert.Equal(role, response.ErrorData.GetProperty("have_role").GetString());
        }
        else
        {
            response.EnsureSuccess();
        }
    }

    [Theory]
    [InlineData("get_camera_status")]
    [InlineData("get_camera_capabilities")]
    [InlineData("take_snapshot")]
    public async Task Unknown_camera_is_not_found(string method)
    {
        await using var client = await _service.ConnectAsync("admin");

        var response = await client.CallAsync(method, new { device = "camera99" }, TestContext.Current.CancellationToken);

        Assert.Equal(-32010, response.ErrorCode);
        Assert.Equal("camera", response.ErrorData.GetProperty("resource").GetString());
        Assert.Equal("camera99", response.ErrorData.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("take_snapshot", "{}", "device", "required")]
    [InlineData("take_snapshot", "{\"device\":\"test0\",\"quality\":0}", "quality", null)]
    [InlineData("take_snapshot", "{\"device\":\"test0\",\"quality\":\"high\"}", "quality", "type")]
    [InlineData("take_snapshot", "{\"device\":\"test0\",\"quality\":1e400}", "quality", "type")]
    [InlineData("take_snapshot", "{\"device\":\"test0\",\"format\":\"gif\"}", "format", null)]
    [InlineData("take_snapshot", "{\"device\":\"test0\",\"max_width\":-5}", "max_width", null)]
    [InlineData("get_camera_status", "{\"device\":\"../etc\"}", "device", null)]
    [InlineData("get_camera_status", "{\"device\":123}", "device", "type")]
    [InlineData("list_snapshots", "{\"limit\":5000}", "limit", null)]
    [InlineData("list_snapshots", "{\"offset\":-1}", "offset", null)]
    [InlineData("subscribe_events", "{\"topics\":[\"no.such.topic\"]}", "topics", null)]
    [InlineData("subscribe_events", "{\"topics\":\"camera.connected\"}", "topics", "type")]
    public async Task Bad_params_name_the_param(string method, string parametersJson, string param, string? rule)
    {
        await using var client = await _service.ConnectAsync("admin");
        await client.SendRawAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"{method}\",\"params\":{parametersJson},\"id\":\"x1\"}}", TestContext.Current.CancellationToken);

        var reply = await client.NextOrphanAsync();

        Assert.Equal("x1", reply.GetProperty("id").GetString());
        var error = reply.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Equal(param, error.GetProperty("data").GetProperty("param").GetString());
        if (rule is not null)
        {
            Assert.Equal(rule, error.GetProperty("data").GetProperty("rule").GetString());
        }

        ProtocolTests.AssertErrorData(error.GetProperty("data"));
    }

    [Fact]
    public async Task Camera_list_and_status_report_the_configured_camera()
    {
        await using var client = await _service.ConnectAsync("viewer");

        var list = (await client.CallAsync("get_camera_list", cancellationToken: TestContext.Current.CancellationToken)).EnsureSuccess().Result;
        var status = (await client.CallAsync("get_camera_status", new { device = "test0" }, TestContext.Current.CancellationToken)).EnsureSuccess().Result;
        var caps = (await client.CallAsync("get_camera_capabilities", new { device = "test0" }, TestContext.Current.CancellationToken)).EnsureSuccess().Result;

        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(1, list.GetProperty("connected").GetInt32());
        Assert.Equal("640x360", status.GetProperty("resolution").GetString());
        Assert.Equal(15, status.GetProperty("fps").GetInt32());
        Assert.Equal("rtsp://sensor.test:8554/test0", status.GetProperty("streams").GetProperty("rtsp").GetString());
        Assert.Equal("http://sensor.test:8888/test0/index.m3u8", status.GetProperty("streams").GetProperty("hls").GetString());
        Assert.Equal(["640x360"], caps.GetProperty("resolutions").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([15], caps.GetProperty("fps_options").EnumerateArray().Select(r => r.GetInt32()));
    }

    [Fact]
    public async Task Server_info_describes_this_build()
    {
        await using var client = await _service.ConnectAsync("viewer");

        var info = (await client.CallAsync("get_server_info", cancellationToken: TestContext.Current.CancellationToken)).EnsureSuccess().Result;

        Assert.Equal(typeof(VideoSensor.Hosting.SensorHost).Assembly.GetName().Version!.ToString(3), info.GetProperty("version").GetString());
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), info.GetProperty("architecture").GetString());
        Assert.True(DateTimeOffset.TryParse(info.GetProperty("build_date").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains("jpg", info.GetProperty("supported_formats").EnumerateArray().Select(f => f.GetString()));
    }
}
