using System.Text.RegularExpressions;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Api;

/// <summary>
/// The implementation against the written contract (docs/api.md, a copy of the shared API document)
/// and the README against the code: every documented method exists, answers with the documented role
/// rules, and appears in <c>rpc.discover</c> and the README.
/// </summary>
public sealed partial class ContractTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async ValueTask InitializeAsync() => _service = await TestService.StartAsync();

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaprCamera.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    /// <summary>(method, role) pairs from the method table of docs/api.md.</summary>
    public static TheoryData<string, string> DocumentedMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(RepoFile("docs/api.md")))
        {
            var row = MethodRow().Match(line);
            if (!row.Success)
            {
                continue;
            }

            var role = row.Groups["role"].Success ? row.Groups["role"].Value : "none";
            foreach (Capture name in row.Groups["name"].Captures)
            {
                data.Add(name.Value, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedMethods))]
    public async Task Documented_method_exists_and_enforces_its_role(string method, string role)
    {
        var ct = TestContext.Current.CancellationToken;
        var needed = Rank(role);
        foreach (var caller in new[] { "none", "viewer", "operator", "admin" })
        {
            await using var client = await _service.ConnectAsync(caller == "none" ? null : caller, ct);
            var response = await client.CallAsync(method, new { }, ct);
            var code = response.IsError ? response.ErrorCode : 0;
            Assert.NotEqual(-32601, code);
            if (Rank(caller) >= needed)
            {
                Assert.True(code is not (-32001 or -32002 or -32603), $"{method} as {caller}: {response}");
            }
            else
            {
                Assert.Equal(caller == "none" ? -32001 : -32002, code);
            }
        }
    }

    [Fact]
    public async Task Openrpc_lists_every_method_with_its_role_and_the_readme_lists_them_too()
    {
        await using var client = await _service.ConnectAsync(cancellationToken: TestContext.Current.CancellationToken);
        var doc = (await client.CallAsync("rpc.discover", cancellationToken: TestContext.Current.CancellationToken)).EnsureSuccess().Result;
        Assert.Equal("1.2.6", doc.GetProperty("openrpc").GetString());
        var discovered = doc.GetProperty("methods").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("x-required-role").GetString()!);

        var readme = File.ReadAllText(RepoFile("README.md"));
        var readmeRows = ReadmeRow().Matches(readme).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["role"].Value);
        Assert.Equal(discovered.Keys.Order(StringComparer.Ordinal), readmeRows.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, role) in discovered)
        {
            Assert.Equal(role, readmeRows[name]);
        }

        foreach (var (name, role) in DocumentedMethods().Select(r => ((string)r.Data.Item1, (string)r.Data.Item2)))
        {
            Assert.True(discovered.TryGetValue(name, out var actual), $"{name} is in docs/api.md but not in rpc.discover");
            Assert.Equal(role, actual);
        }
    }

    private static int Rank(string role) => role switch { "viewer" => 1, "operator" => 2, "admin" => 3, _ => 0 };

    // "| `get_camera_list` (viewer) |", "| `delete_recording`, `delete_snapshot` (operator) |", "| `ping` | — |"
    [GeneratedRegex(@"^\| (?:`(?<name>[a-z_.]+)`(?:, )?)+(?: \((?<role>viewer|operator|admin|none)\))? \|")]
    private static partial Regex MethodRow();

    // README: "| `take_snapshot` | operator | …"
    [GeneratedRegex(@"^\| `(?<name>[a-z_.]+)` \| (?<role>none|viewer|operator|admin) \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();
}
