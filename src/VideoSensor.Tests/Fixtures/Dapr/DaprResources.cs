using System.Text.RegularExpressions;

namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>
/// The repository's own <c>components/</c> and <c>dapr/config.yaml</c>, copied to a temp folder with only the Redis
/// address and the secrets file path changed, so the tests prove the files the project ships.
/// </summary>
public sealed partial class DaprResources : IDisposable
{
    private readonly TempDirectory _dir = new("dapr-resources");

    private DaprResources(string redisAddress)
    {
        ResourcesPath = _dir.Combine("components");
        Directory.CreateDirectory(ResourcesPath);
        SecretsFile = _dir.Combine("secrets.json");
        File.Copy(Path.Combine(RepositoryRoot, "components", "dev-secrets.example.json"), SecretsFile);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, "components"), "*.yaml"))
        {
            var text = File.ReadAllText(file)
                .Replace("localhost:6379", redisAddress, StringComparison.Ordinal);
            text = SecretsFileValue().Replace(text, "value: " + SecretsFile);
            File.WriteAllText(Path.Combine(ResourcesPath, Path.GetFileName(file)), text);
        }

        ConfigPath = _dir.Combine("config.yaml");
        File.Copy(Path.Combine(RepositoryRoot, "dapr", "config.yaml"), ConfigPath);
    }

    public string ResourcesPath { get; }
    public string ConfigPath { get; }
    public string SecretsFile { get; }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaprCamera.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root (DaprCamera.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    public static DaprResources For(RedisServer redis) => new(redis.Address);

    /// <summary>
    /// A copy of dapr/config.yaml without its <c>accessControl</c> section, for service invocation without mTLS: daprd
    /// then knows no caller identity and the shipped policy (default deny) refuses every call.
    /// </summary>
    public string ConfigWithoutAccessControl()
    {
        var path = _dir.Combine("config-no-acl.yaml");
        var text = File.ReadAllText(ConfigPath);
        var start = text.IndexOf("  accessControl:", StringComparison.Ordinal);
        File.WriteAllText(path, start < 0 ? text : text[..start]);
        return path;
    }

    /// <summary>The text of one rewritten component (for assertions about what was loaded).</summary>
    public string Component(string fileName) => File.ReadAllText(Path.Combine(ResourcesPath, fileName));

    public void Dispose() => _dir.Dispose();

    // The value line right after "- name: secretsFile".
    [GeneratedRegex(@"(?<=name: secretsFile\s*\n\s*)value: .*")]
    private static partial Regex SecretsFileValue();
}
