using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Discovery;
using VideoSensor.Hosting.Health;
using VideoSensor.Hosting.Telemetry;
using VideoSensor.Storage;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Health, readiness and measured figures of the whole service.</summary>
internal sealed class StatusMethods(
    HealthReporter health,
    StartupState startup,
    CameraRegistry registry,
    StreamDiscovery discovery,
    ProcessSampler sampler,
    SensorMetrics metrics,
    RpcConnections connections,
    IOptions<StorageOptions> storage,
    StorageSpace space,
    TimeProvider time) : IRpcMethodGroup
{
    /// <summary>Components every client expects to see, even when this build or config has no such part.</summary>
    private static readonly string[] ContractComponents = ["websocket_server", "camera_monitor", "mediamtx", "dapr"];

    [RpcMethod("get_status", RpcAccess.Admin, "Overall health with each component's state.", Result = "{status, uptime, version, components}")]
    public async Task<ServiceStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var report = await health.ReportAsync(cancellationToken).ConfigureAwait(false);
        var components = report.Components.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        foreach (var name in ContractComponents)
        {
            components.TryAdd(name, new ComponentHealth(ComponentHealth.Disabled, "not enabled in this configuration"));
        }

        return new ServiceStatus(report.Status, Math.Round(report.Uptime, 3), report.Version, components);
    }

    [RpcMethod("get_system_status", RpcAccess.Viewer, "Whether the service has finished starting and which cameras are available.", Result = "{status, message, available_cameras, discovery_active}")]
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

    [RpcMethod("get_metrics", RpcAccess.Admin, "Measured process, camera, recording and stream figures.", Result = "{timestamp, system_metrics, camera_metrics, recording_metrics, stream_metrics}")]
    public MetricsResult GetMetrics()
    {
        var process = sampler.Sample();
        var cameras = registry.List();
        var disk = space.Read();
        var recordings = StorageSpace.FolderStats(storage.Value.RecordingsPath);
        var snapshots = StorageSpace.FolderStats(storage.Value.SnapshotsPath);
        var system = new Dictionary<string, object?>
        {
            ["cpu_percent"] = process.CpuPercent,
            ["cpu_seconds_total"] = Math.Round(process.CpuSecondsTotal, 3),
            ["memory_rss_bytes"] = process.MemoryRssBytes,
            ["gc_heap_bytes"] = process.GcHeapBytes,
            ["threads"] = process.Threads,
            ["gc_collections"] = process.GcCollections,
            ["load_average"] = process.LoadAverage,
            ["disk_total_bytes"] = disk.TotalBytes,
            ["disk_free_bytes"] = disk.AvailableBytes,
            ["uptime"] = Math.Round(startup.Uptime.TotalSeconds, 3),
        };
        var camera = new Dictionary<string, object?>
        {
            ["total"] = cameras.Count,
            ["connected"] = cameras.Count(c => c.Status == CameraStatus.Connected),
            ["disconnected"] = cameras.Count(c => c.Status == CameraStatus.Disconnected),
            ["error"] = cameras.Count(c => c.Status == CameraStatus.Error),
            ["by_kind"] = cameras.GroupBy(c => c.Kind.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
        };
        var recording = new Dictionary<string, object?>
        {
            ["files"] = recordings.Files,
            ["bytes"] = recordings.Bytes,
            ["snapshot_files"] = snapshots.Files,
            ["snapshot_bytes"] = snapshots.Bytes,
        };
        var stream = new Dictionary<string, object?>
        {
            ["websocket_connections"] = connections.Count,
            ["rpc_calls_total"] = metrics.RpcCallsTotal,
            ["notifications_dropped"] = connections.All.Sum(c => c.DroppedNotifications),
        };
        return new MetricsResult(time.GetUtcNow().UtcDateTime.ToString("O"), system, camera, recording, stream);
    }
}

internal sealed record ServiceStatus(string Status, double Uptime, string Version, IReadOnlyDictionary<string, ComponentHealth> Components);

internal sealed record SystemStatus(string Status, string Message, IReadOnlyList<string> AvailableCameras, bool DiscoveryActive);

internal sealed record MetricsResult(string Timestamp, Dictionary<string, object?> SystemMetrics, Dictionary<string, object?> CameraMetrics, Dictionary<string, object?> RecordingMetrics, Dictionary<string, object?> StreamMetrics);
