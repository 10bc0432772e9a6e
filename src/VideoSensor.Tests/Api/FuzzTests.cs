using System.Globalization;
using System.Text;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>
/// Thousands of generated malformed messages: each gets its documented error code and the service
/// keeps answering. The generator is seeded, so a failure can be replayed.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20261124;

    [Fact]
    public async Task Malformed_messages_get_their_documented_errors_and_the_service_stays_up()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync("server:\n  rate_limit_per_second: 100000\n  rate_limit_burst: 100000\n  max_message_bytes: 65536\n", cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        var cases = Generate(new Random(Seed)).Take(1200).ToList();
        var failures = new List<string>();

        foreach (var (message, expected, category) in cases)
        {
            await client.SendRawAsync(message, ct);
            var reply = await client.NextOrphanAsync(TimeSpan.FromSeconds(10));
            var code = reply.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 0;
            if (!expected.Contains(code))
            {
                failures.Add($"{category}: expected {string.Join("/", expected)} got {code} for {Shorten(message)} -> {Shorten(reply.ToString())}");
            }
            else if (code != 0 && (!error.TryGetProperty("data", out var data) || !data.TryGetProperty("reason", out _)))
            {
                failures.Add($"{category}: error without data.reason for {Shorten(message)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.True(cases.Count >= 1000);
        Assert.Equal("pong", (await client.CallAsync("ping", cancellationToken: ct)).Result.GetString());
        await using var fresh = await service.ConnectAsync("viewer", ct);
        (await fresh.CallAsync("get_camera_list", cancellationToken: ct)).EnsureSuccess();
    }

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120] + "…";

    private static IEnumerable<(string Message, int[] Expected, string Category)> Generate(Random random)
    {
        int[] parse = [-32700];
        int[] invalid = [-32600];
        int[] notFound = [-32601];
        int[] badParams = [-32602];
        var id = 0;
        string Req(string method, string parameters) => $"{{\"jsonrpc\":\"2.0\",\"method\":{method},\"params\":{parameters},\"id\":{++id}}}";

        while (true)
        {
            switch (random.Next(12))
            {
                case 0:
                    var valid = Req("\"get_camera_status\"", "{\"device\":\"test0\"}");
                    yield return (valid[..random.Next(1, valid.Length - 1)], parse, "truncated");
                    break;
                case 1:
                    yield return (RandomText(random, random.Next(1, 40), "{[]}:,\"'\\ \t\nabc\u00e9\u4e2d\U0001F600"), [.. parse, .. invalid], "garbage");
                    break;
                case 2:
                    yield return (Req(Pick(random, "42", "{}", "[]", "null", "true", "\"\""), "{}"), invalid, "method type");
                    break;
                case 3:
                    yield return (Req("\"get_camera_status\"", Pick(random, "\"test0\"", "7", "true", "[\"test0\"]", "[]")), invalid, "params kind");
                    break;
                case 4:
                    yield return ($"{{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":{Pick(random, "{}", "[]", "true", "1.5", "1e300")}}}", invalid, "id type");
                    break;
                case 5:
                    yield return ($"{{{Pick(random, "", "\"jsonrpc\":\"1.0\",", "\"jsonrpc\":2,")}\"method\":\"ping\",\"id\":{++id}}}", invalid, "version");
                    break;
                case 6:
                    yield return (Req(JsonSerializer.Serialize(RandomText(random, random.Next(1, 30), "abc_.\u0000\u200f\u202e\U0001F4F7/\\")), "{}"), notFound, "unknown method");
                    break;
                case 7:
                    var wrong = Pick(random, "123", "{}", "[]", "true", "1.5", "null");
                    yield return (Req("\"get_camera_status\"", $"{{\"device\":{wrong}}}"), badParams, "device type");
                    break;
                case 8:
                    var huge = Pick(random, "1e308", "1e400", "-1e400", "99999999999999999999", "2147483648", "-2147483649", "1.0000001", "\"85\"");
                    yield return (Req("\"take_snapshot\"", $"{{\"device\":\"test0\",\"{Pick(random, "quality", "max_width", "max_height")}\":{huge}}}"), badParams, "huge number");
                    break;
                case 9:
                    var name = Pick(random, "../../etc/passwd", "..\\\\win.ini", "a/b.jpg", "..", "%2e%2e%2fx", "/etc/shadow", "snap\\u0000.jpg", "\\u202egpj.exe", "\\ud800", "");
                    yield return (Req(Pick(random, "\"get_snapshot_info\"", "\"delete_snapshot\""), $"{{\"filename\":\"{name}\"}}"), badParams, "traversal");
                    break;
                case 10:
                    var device = Pick(random, "カメラ", "cam\\u0000", "../cam", "cam era", "\\ud83d", new string('x', 65), "-cam", "/dev/video", "/dev/video1/../../x");
                    yield return (Req("\"get_camera_capabilities\"", $"{{\"device\":\"{device}\"}}"), badParams, "unicode device");
                    break;
                default:
                    var depth = random.Next(65, 400);
                    yield return (Req("\"ping\"", new string('[', depth) + new string(']', depth)), [.. parse, .. invalid], "deep nesting");
                    break;
            }
        }
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static string RandomText(Random random, int length, string alphabet)
    {
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(alphabet);
        while (e.MoveNext())
        {
            elements.Add(e.GetTextElement());
        }

        var sb = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            sb.Append(elements[random.Next(elements.Count)]);
        }

        return sb.ToString();
    }
}
