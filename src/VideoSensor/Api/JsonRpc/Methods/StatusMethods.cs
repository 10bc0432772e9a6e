using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Health;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Telemetry;
using VideoSensor.Storage;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Health, readiness and measured figures of the whole service.</summary>
internal sealed partial class StatusMethods(
    HealthReporter health,
    StartupState startup,
    CameraRegistry registry,
    StreamDiscovery discovery,
    ProcessSampler sampler,
    SensorMetrics metrics,
    RpcConnections connections,
    StoreUsage usage,
    StorageSpace space,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : IRpcMethodGroup
{
    /// <summary>Components every client expects to see, even when this build or config has no such part.</summary>
    private static readonly string[] ContractComponents = ["websocket_server", "camera_monitor", "mediamtx", "dapr"];

    [RpcMethod("get_status", Role.Admin, "Overall health with each component's state.", Result = "{status, uptime, version, components, component_details}")]
    public async Task<ServiceStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var report = await health.ReportAsync(cancellationToken).ConfigureAwait(false);
        var details = report.Components.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        foreach (var name in ContractComponents)
        {
            details.TryAdd(name, new ComponentHealth(ComponentHealth.Disabled, "not enabled in this configuration"));
        }

        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var states = details.ToDictionary(
            c => c.Key,
            c => ComponentStates.From(c.Value, starting: !startup.IsReady && !stopping, stopping),
            StringComparer.Ordinal);
        return new ServiceStatus(report.Status, Math.Round(report.Uptime, 3), report.Version, states, details);
    }

    [RpcMethod("get_system_status", Role.Viewer, "Whether the service has finished starting and which cameras are available.", Result = "{status, message, available_cameras, discovery_active}")]
    public SystemStatus GetSystemStatus()
    {
        var cameras = registry.List();
        var available = cameras.Where(c => c.Status == CameraStatus.Connected).Select(c => c.Id).ToList();
        var (status, message) = !startup.IsReady
            ? ("starting", "the service is starting")
            : available.Count == cameras.Count
                ? ("ready", $"all {cameras.Count} cameras available")
                : ("partial", $"{available.Count} of {cameras.Count} cameras available");
        return new SystemStatus(status, message, available, discovery.Active);
    }

    [RpcMethod("get_metrics", Role.Admin, "Measured process, camera, recording and stream figures.", Result = "{timestamp, system_metrics, camera_metrics, recording_metrics, stream_metrics}")]
    public MetricsResult GetMetrics()
    {
        var process = sampler.Sample();
        var (rss, threads) = ProcStatus.Self();
        var memTotal = ProcStatus.MemTotalBytes();
        var cameras = registry.List();
        var disk = space.Read();
        var stored = usage.Read();
        var system = new SystemMetrics(
            CpuUsage: process.CpuPercent,
            MemoryUsage: memTotal > 0 ? Math.Round(100.0 * rss / memTotal, 3) : 0,
            DiskUsage: Math.Round(disk.UsedPercent, 3),
            Goroutines: threads > 0 ? threads : process.Threads,
            CpuPercent: process.CpuPercent,
            CpuSecondsTotal: Math.Round(process.CpuSecondsTotal, 3),
            MemoryRssBytes: rss > 0 ? rss : process.MemoryRssBytes,
            MemoryTotalBytes: memTotal,
            GcHeapBytes: process.GcHeapBytes,
            Threads: process.Threads,
            GcCollections: process.GcCollections,
            LoadAverage: process.LoadAverage,
            DiskTotalBytes: disk.TotalBytes,
            DiskFreeBytes: disk.AvailableBytes,
            Uptime: Math.Round(startup.Uptime.TotalSeconds, 3));
        var camera = new CameraMetrics(
            cameras.Count,
            cameras.Count(c => c.Status == CameraStatus.Connected),
            cameras.Count(c => c.Status == CameraStatus.Disconnected),
            cameras.Count(c => c.Status == CameraStatus.Error),
            cameras.GroupBy(c => c.Kind.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()));
        var recording = new RecordingMetrics(stored.RecordingFiles, stored.RecordingBytes, stored.SnapshotFiles, stored.SnapshotBytes);
        var stream = new StreamMetricsSummary(connections.Count, metrics.RpcCallsTotal, connections.All.Sum(c => c.DroppedNotifications));
        return new MetricsResult(time.GetUtcNow().UtcDateTime.ToString("O"), system, camera, recording, stream);
    }
}

/// <summary><c>get_status</c>: <c>components</c> holds the states existing clients validate, <c>component_details</c> the service's own health.</summary>
internal sealed record ServiceStatus(
    [property: AllowedValues("HEALTHY", "DEGRADED", "UNHEALTHY")] string Status,
    double Uptime,
    string Version,
    [property: AllowedValues("RUNNING", "STOPPED", "ERROR", "STARTING", "STOPPING")] IReadOnlyDictionary<string, string> Components,
    IReadOnlyDictionary<string, ComponentHealth> ComponentDetails);

internal sealed record SystemStatus([property: AllowedValues("starting", "partial", "ready")] string Status, string Message, IReadOnlyList<string> AvailableCameras, bool DiscoveryActive);

internal sealed record MetricsResult(string Timestamp, SystemMetrics SystemMetrics, CameraMetrics CameraMetrics, RecordingMetrics RecordingMetrics, StreamMetricsSummary StreamMetrics);

/// <summary>
/// The process and machine figures. <c>cpu_usage</c>, <c>memory_usage</c> (RSS share of MemTotal) and
/// <c>disk_usage</c> (storage file system) are percentages and <c>goroutines</c> is the thread count:
/// the names existing clients read; the rest are this service's own, richer figures.
/// </summary>
internal sealed record SystemMetrics(
    double CpuUsage,
    double MemoryUsage,
    double DiskUsage,
    int Goroutines,
    double CpuPercent,
    double CpuSecondsTotal,
    long MemoryRssBytes,
    long MemoryTotalBytes,
    long GcHeapBytes,
    int Threads,
    int GcCollections,
    double[] LoadAverage,
    long DiskTotalBytes,
    long DiskFreeBytes,
    double Uptime);

internal sealed record CameraMetrics(int Total, int Connected, int Disconnected, int Error, IReadOnlyDictionary<string, int> ByKind);

internal sealed record RecordingMetrics(int Files, long Bytes, int SnapshotFiles, long SnapshotBytes);

internal sealed record StreamMetricsSummary(int WebsocketConnections, long RpcCallsTotal, long NotificationsDropped);
