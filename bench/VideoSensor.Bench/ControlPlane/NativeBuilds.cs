using System.Diagnostics;

namespace VideoSensor.Bench.ControlPlane;

/// <summary>The Native AOT builds the control-plane benchmark compares: the service's own artifact and the echo floor.</summary>
internal static class NativeBuilds
{
    /// <summary>The service's Native AOT executable, from scripts/publish-service.sh (published when stale, as scripts/run.sh does).</summary>
    public static async Task<string> ServiceAsync(CancellationToken ct)
    {
        var repository = Repository();
        var output = await RunAsync("scripts/publish-service.sh", [], repository, ct);
        return Path.Combine(repository, output.Trim().Split('\n')[^1]);
    }

    /// <summary>The floor app published Native AOT into artifacts/bench/floor-native (again when its source is newer).</summary>
    public static async Task<string> FloorAsync(CancellationToken ct)
    {
        var repository = Repository();
        var output = Path.Combine(repository, "artifacts", "bench", "floor-native");
        var binary = Path.Combine(output, "VideoSensor.Floor");
        var source = Path.Combine(repository, "bench", "VideoSensor.Floor", "Program.cs");
        if (!File.Exists(binary) || File.GetLastWriteTimeUtc(binary) < File.GetLastWriteTimeUtc(source))
        {
            await Console.Error.WriteLineAsync($"control: publishing the echo floor as Native AOT to {output}");
            await RunAsync("dotnet", ["publish", "bench/VideoSensor.Floor", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "-v", "quiet", "-nologo"], repository, ct);
        }

        return binary;
    }

    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaprCamera.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository (DaprCamera.sln) is not above " + AppContext.BaseDirectory);
    }

    private static async Task<string> RunAsync(string command, IReadOnlyList<string> args, string directory, CancellationToken ct)
    {
        var info = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({process.ExitCode})");
    }
}
