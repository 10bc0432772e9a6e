namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>
/// The real Dapr runtime for tests: <c>daprd</c> and <c>placement</c> from <c>DAPRD_BINARY</c> /
/// <c>DAPR_PLACEMENT_BINARY</c> (else on PATH) and Debian's <c>redis-server</c> on PATH. Where one is missing a
/// test skips with the reason, except in CI (<c>CI=true</c>), where it fails (<c>RealDaprCluster.Require</c>).
/// </summary>
public static class RealDaprTools
{
    public static string? Daprd => Find("DAPRD_BINARY", "daprd");
    public static string? Placement => Find("DAPR_PLACEMENT_BINARY", "placement");
    public static string? RedisServer => Find("REDIS_SERVER_BINARY", "redis-server");

    /// <summary>Why the real-sidecar tests cannot run here, or null when they can.</summary>
    public static string? WhyUnavailable =>
        Daprd is null ? "no daprd: set DAPRD_BINARY or put daprd on PATH"
        : Placement is null ? "no Dapr placement: set DAPR_PLACEMENT_BINARY or put placement on PATH"
        : RedisServer is null ? "no redis-server: install Debian's redis-server (scripts/deps.sh test)"
        : null;

    private static string? Find(string variable, string name)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
