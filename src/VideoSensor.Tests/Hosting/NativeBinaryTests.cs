using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Hosting;

/// <summary>
/// The artifact users run is the Native AOT executable (scripts/run.sh, the image): in CI every process-level test
/// must start that one, or a trimming bug (a type the compiler left out, reflection that finds nothing) ships green.
/// </summary>
public sealed class NativeBinaryTests
{
    [Fact]
    public async Task Process_level_tests_run_the_native_executable_in_CI()
    {
        if (ServiceBinary.Native is null)
        {
            Assert.False(RealMediaMtx.InCi, $"CI must run the process-level tests against the Native AOT build: set {ServiceBinary.Variable} (scripts/test.sh does)");
            Assert.Skip($"{ServiceBinary.Variable} is not set: the process-level tests of this run start dotnet VideoSensor.dll");
        }

        var ct = TestContext.Current.CancellationToken;
        var header = new byte[4];
        await using (var file = File.OpenRead(ServiceBinary.Native))
        {
            await file.ReadExactlyAsync(header, ct);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header);
        await using var service = await ServiceProcess.StartAsync(null, ct);
        // What the kernel runs for the fixture's child, not what the fixture meant to start.
        Assert.Equal(ServiceBinary.Native, new FileInfo($"/proc/{service.Pid}/exe").LinkTarget);
        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{service.Port}/health"), ct);
        Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync(ct));
    }
}
