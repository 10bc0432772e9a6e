namespace VideoSensor.Tests.Fixtures;

/// <summary>
/// What a process-level test runs as "the service": the Native AOT executable named by
/// <c>VIDEOSENSOR_SERVICE_BINARY</c> (what <c>scripts/test.sh</c>, and so CI, publishes and sets: the artifact users
/// run), else <c>dotnet VideoSensor.dll</c> from the test output (a developer's quick <c>dotnet test</c>). One place,
/// so no process-level test can start something else and a trimming bug cannot pass CI unseen.
/// </summary>
public static class ServiceBinary
{
    public const string Variable = "VIDEOSENSOR_SERVICE_BINARY";

    /// <summary>The native executable when one is set, else null.</summary>
    public static string? Native => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    public static string ManagedDll => Path.Combine(AppContext.BaseDirectory, "VideoSensor.dll");

    /// <summary>"native" or "jit": which build the process-level tests of this run start.</summary>
    public static string Kind => Native is null ? "jit" : "native";

    /// <summary>The command line that starts the service with <paramref name="arguments"/>.</summary>
    public static IReadOnlyList<string> Command(params IEnumerable<string> arguments) =>
        [.. Native is { } native ? [native] : new[] { DotnetHost, ManagedDll }, .. arguments];
}
