using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media;

/// <summary>
/// Managed mode with a stand-in binary (the real mediamtx cannot be installed here): a script that
/// prints one JSON log line and exits 0, like MediaMTX after a bad reload. The supervisor must treat
/// that as a failure and restart with back-off, forwarding the log line.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MediaMtxSupervisorTests
{
    [Fact]
    public async Task Any_exit_even_code_0_is_restarted_and_its_log_forwarded()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        var script = dir.Combine("mediamtx");
        var marker = dir.Combine("config-arg");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho \"$1\" > {marker}\necho '{{\"level\":\"error\",\"message\":\"bad reload: rtsp://u:leak-me-9@x/y\"}}'\nexit 0\n", ct);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var service = await TestService.StartAsync($"""
            media:
              rtsp_port: {FreePort.Next()}
              hls_port: {FreePort.Next()}
              webrtc_port: {FreePort.Next()}
              mediamtx:
                mode: managed
                binary_path: {script}
                api_address: 127.0.0.1:{FreePort.Next()}
                restart_min_seconds: 0.1
                restart_max_seconds: 0.4
            """, cancellationToken: ct);
        var state = service.Services.GetRequiredService<MediaMtxState>();

        await StreamingMethodsTests.WaitForPhaseAsync(state, MediaMtxPhase.Restarting, s => s.Restarts >= 3);

        Assert.Contains("exited with code 0", state.Status.Reason, StringComparison.Ordinal);
        var configPath = (await File.ReadAllTextAsync(marker, ct)).Trim();
        Assert.StartsWith(service.StorageRoot, configPath, StringComparison.Ordinal);
        Assert.Contains("authMethod: http", await File.ReadAllTextAsync(configPath, ct), StringComparison.Ordinal);
        Assert.Contains(service.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("mediamtx: bad reload: rtsp://***@x/y", StringComparison.Ordinal));
        Assert.DoesNotContain("leak-me-9", service.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_port_is_reported_instead_of_starting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var busyPort = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        await using var service = await TestService.StartAsync($"""
            media:
              rtsp_port: {busyPort}
              mediamtx:
                mode: managed
                binary_path: /bin/true
                restart_min_seconds: 0.1
                restart_max_seconds: 0.2
            """, cancellationToken: ct);
        var state = service.Services.GetRequiredService<MediaMtxState>();

        await StreamingMethodsTests.WaitForPhaseAsync(state, MediaMtxPhase.Restarting, s => s.Reason.Contains("in use", StringComparison.Ordinal));

        Assert.Contains($"{busyPort} (rtsp)", state.Status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_udp_port_is_reported_instead_of_starting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var busy = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        busy.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var busyPort = ((System.Net.IPEndPoint)busy.LocalEndPoint!).Port;
        await using var service = await TestService.StartAsync($"""
            media:
              rtsp_port: {FreePort.Next()}
              hls_port: {FreePort.Next()}
              webrtc_port: {FreePort.Next()}
              webrtc_udp_port: {busyPort}
              mediamtx:
                mode: managed
                binary_path: /bin/true
                api_address: 127.0.0.1:{FreePort.Next()}
                restart_min_seconds: 0.1
                restart_max_seconds: 0.2
            """, cancellationToken: ct);
        var state = service.Services.GetRequiredService<MediaMtxState>();

        await StreamingMethodsTests.WaitForPhaseAsync(state, MediaMtxPhase.Restarting, s => s.Reason.Contains("in use", StringComparison.Ordinal));

        Assert.Contains($"{busyPort} (webrtc media, udp)", state.Status.Reason, StringComparison.Ordinal);
    }
}
