using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>
/// Over 5,000 messages generated from <c>rpc.discover</c>: every method with wrong types, nulls, duplicate
/// keys, deep nesting, text that is not valid Unicode, binary frames and oversize messages. Each must get
/// one well-formed reply (the expected error where the case decides it, never -32603) on the same
/// connection, and the log must hold no stack trace. Seeded, so a failure can be replayed.
/// </summary>
public sealed class GeneratedFuzzTests
{
    private const int Seed = 20261201;
    private const int Count = 5_200;
    private const int MaxMessageBytes = 65_536;

    private sealed record Param(string Name, bool Required, string Type);

    private sealed record Method(string Name, IReadOnlyList<Param> Params);

    /// <summary>One generated case: the frame, whether it is binary, the code it must get (null: any well-formed reply) and whether the id is echoed.</summary>
    private sealed record Case(string Category, byte[] Frame, bool Binary, int? Expected, bool EchoesId, long Id);

    [Fact]
    public async Task Every_generated_message_gets_a_well_formed_reply_and_the_connection_survives()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync($"server:\n  rate_limit_per_second: 1000000\n  rate_limit_burst: 1000000\n  max_message_bytes: {MaxMessageBytes}\n", cancellationToken: ct);
        await using var client = await service.ConnectAsync("admin", ct);
        var methods = Discover((await client.CallAsync("rpc.discover", cancellationToken: ct)).Result);
        Assert.True(methods.Count >= 30, $"rpc.discover listed only {methods.Count} methods");

        var random = new Random(Seed);
        var cases = Enumerable.Range(0, Count).Select(i => Generate(random, methods, 1_000_000 + i)).ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            await client.SendBytesAsync(c.Frame, c.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, ct);
            JsonElement reply;
            try
            {
                reply = await client.NextOrphanAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception ex) when (ex is TimeoutException or System.Threading.Channels.ChannelClosedException)
            {
                failures.Add($"{c.Category}: no reply ({ex.GetType().Name}) to {Shorten(c.Frame)}");
                break;
            }

            if (Problem(c, reply) is { } problem)
            {
                failures.Add($"{c.Category}: {problem} for {Shorten(c.Frame)} -> {Shorten(Encoding.UTF8.GetBytes(reply.ToString()))}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} failed:\n" + string.Join('\n', failures.GroupBy(f => f.Split(':')[0].Split(' ')[0]).SelectMany(g => g.Take(4))));
        Assert.Equal(WebSocketState.Open, client.State);
        Assert.Equal("pong", (await client.CallAsync("ping", cancellationToken: ct)).Result.GetString());
        Assert.DoesNotContain(service.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
        foreach (var category in cases.GroupBy(c => c.Category.Split(' ')[0]))
        {
            Assert.True(category.Count() >= 100, $"only {category.Count()} cases of {category.Key}");
        }
    }

    private static string? Problem(Case c, JsonElement reply)
    {
        if (!reply.TryGetProperty("jsonrpc", out var version) || version.GetString() != "2.0")
        {
            return "no jsonrpc 2.0";
        }

        var hasResult = reply.TryGetProperty("result", out _);
        var hasError = reply.TryGetProperty("error", out var error);
        if (hasResult == hasError)
        {
            return "not exactly one of result and error";
        }

        var id = reply.GetProperty("id");
        if (c.EchoesId ? id.ValueKind != JsonValueKind.Number || id.GetInt64() != c.Id : id.ValueKind != JsonValueKind.Null)
        {
            return $"id {id} (sent {c.Id}, echoed: {c.EchoesId})";
        }

        if (hasError)
        {
            if (error.GetProperty("code").ValueKind != JsonValueKind.Number || error.GetProperty("message").ValueKind != JsonValueKind.String
                || !error.TryGetProperty("data", out var data) || data.GetProperty("reason").ValueKind != JsonValueKind.String)
            {
                return "malformed error object";
            }

            var code = error.GetProperty("code").GetInt32();
            if (code == -32603)
            {
                return "internal error";
            }

            if (c.Expected is { } expected && code != expected)
            {
                return $"code {code}, expected {expected}";
            }
        }
        else if (c.Expected is { } expected)
        {
            return $"a result, expected {expected}";
        }

        return null;
    }

    private static Case Generate(Random random, IReadOnlyList<Method> methods, long id)
    {
        var method = methods[random.Next(methods.Count)];
        var required = method.Params.Where(p => p.Required).ToList();
        var firstString = method.Params.FirstOrDefault(p => p.Type == "string");
        string Request(string parameters) => $"{{\"jsonrpc\":\"2.0\",\"method\":{JsonSerializer.Serialize(method.Name)},\"params\":{parameters},\"id\":{id}}}";
        Case Text(string category, string text, int? expected, bool echoes = true) => new($"{category} {method.Name}", Encoding.UTF8.GetBytes(text), false, expected, echoes, id);
        string Members(IEnumerable<(string Name, string Value)> members) => "{" + string.Join(",", members.Select(m => $"{JsonSerializer.Serialize(m.Name)}:{m.Value}")) + "}";

        switch (random.Next(8))
        {
            case 0:
            {
                // Wrong types for every required param and for one random param.
                var chosen = required.Concat(method.Params.Count > 0 ? [method.Params[random.Next(method.Params.Count)]] : []).DistinctBy(p => p.Name);
                var wrongRequired = required.Any(p => p.Type != "object");
                return Text("wrong-types", Request(Members(chosen.Select(p => (p.Name, WrongValue(random, p.Type))))), wrongRequired ? -32602 : null);
            }

            case 1:
                // Null for every param: required ones never accept it.
                return Text("nulls", Request(Members(method.Params.Select(p => (p.Name, "null")))), required.Any(p => p.Type != "object") ? -32602 : null);
            case 2:
            {
                var key = method.Params.Count > 0 ? method.Params[random.Next(method.Params.Count)].Name : "x";
                var where = random.Next(3);
                var text = where switch
                {
                    0 => Request(Members([(key, "1"), (key, "2")])),
                    1 => $"{{\"jsonrpc\":\"2.0\",\"method\":{JsonSerializer.Serialize(method.Name)},\"id\":{id},\"id\":{id + 1}}}",
                    _ => Request(Members([("nested", Members([("a", "1"), ("a", "[]")])), (key, "\"x\"")])),
                };
                return Text("duplicate-keys", text, -32600, echoes: false);
            }

            case 3:
            {
                var depth = random.Next(65, 400);
                var key = method.Params.Count > 0 ? method.Params[0].Name : "x";
                return Text("deep-nesting", Request(Members([(key, new string('[', depth) + new string(']', depth))])), -32700, echoes: false);
            }

            case 4:
            {
                // Lone surrogates: valid JSON escapes that no .NET string (and no UTF-8) can hold.
                var junk = Pick(random, "\"\\ud800\"", "\"a\\udfffb\"", "\"\\ud83d\"", "\"x\\udc00.jpg\"");
                return firstString is null
                    ? Text("bad-unicode", Request(Members([("x", junk)])), null)
                    : Text("bad-unicode", Request(Members(required.Where(p => p != firstString).Select(p => (p.Name, "\"test0\"")).Append((firstString.Name, junk)))), -32602);
            }

            case 5:
            {
                // Binary frames (here with invalid UTF-8 in them) are refused whatever they hold.
                byte[] frame = [.. Encoding.UTF8.GetBytes(Request("{\"device\":\"")), 0xc3, 0x28, 0xff, .. "\"}"u8];
                return new Case($"binary {method.Name}", frame, true, -32600, false, id);
            }

            case 6:
            {
                var pad = new string('x', MaxMessageBytes + random.Next(1, 50_000));
                return Text("oversize", Request(Members([(method.Params.Count > 0 ? method.Params[0].Name : "pad", JsonSerializer.Serialize(pad))])), -32600, echoes: false);
            }

            default:
            {
                // Shapes around the params: wrong kinds for params and id, unknown names only.
                return random.Next(3) switch
                {
                    0 => Text("wrong-shape", Request(Pick(random, "\"x\"", "7", "true", "[1]")), -32600),
                    1 => Text("wrong-shape", $"{{\"jsonrpc\":\"2.0\",\"method\":{JsonSerializer.Serialize(method.Name)},\"id\":{Pick(random, "{}", "[]", "true", "1.5")}}}", -32600, echoes: false),
                    _ => Text("wrong-shape", Request(Members([("zz_unknown", WrongValue(random, "string"))])), required.Count > 0 ? -32602 : null),
                };
            }
        }
    }

    private static string WrongValue(Random random, string type) => type switch
    {
        "string" => Pick(random, "7", "true", "{}", "[]", "-1.5"),
        "integer" => Pick(random, "\"7\"", "1.5", "true", "{}", "[]", "1e400"),
        "number" => Pick(random, "\"7\"", "true", "[]", "{}"),
        "boolean" => Pick(random, "\"true\"", "1", "[]", "{}"),
        "array" => Pick(random, "\"x\"", "7", "{}", "true"),
        _ => Pick(random, "\"x\"", "7", "true"),
    };

    private static IReadOnlyList<Method> Discover(JsonElement document) =>
        [.. document.GetProperty("methods").EnumerateArray().Select(m => new Method(
            m.GetProperty("name").GetString()!,
            [.. m.GetProperty("params").EnumerateArray().Select(p => new Param(
                p.GetProperty("name").GetString()!,
                p.TryGetProperty("required", out var r) && r.GetBoolean(),
                p.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("type", out var t) ? SchemaType(t) : "object"))]))];

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static string Shorten(byte[] frame)
    {
        var text = Encoding.UTF8.GetString(frame);
        return text.Length <= 160 ? text : text[..160] + "…";
    }

    /// <summary>A schema's <c>type</c>: a string, or a list such as <c>["string", "null"]</c> whose first non-null entry counts.</summary>
    private static string SchemaType(System.Text.Json.JsonElement type) => type.ValueKind == System.Text.Json.JsonValueKind.Array
        ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t is not null and not "null") ?? "object"
        : type.GetString() ?? "object";
}
