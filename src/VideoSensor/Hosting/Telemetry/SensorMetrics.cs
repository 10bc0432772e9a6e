using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VideoSensor.Hosting.Telemetry;

/// <summary>The service's own instruments, exported at <c>/metrics</c>. Every figure is measured, never set by hand.</summary>
internal sealed class SensorMetrics : IDisposable
{
    public const string MeterName = "VideoSensor";
    private readonly Meter _meter;
    private readonly Counter<long> _rpcCalls;
    private readonly Histogram<double> _rpcDuration;
    private readonly Counter<long> _snapshots;
    private readonly Histogram<double> _snapshotDuration;
    private long _connections;

    public SensorMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _rpcCalls = _meter.CreateCounter<long>("videosensor.rpc.calls", description: "JSON-RPC calls by method and outcome");
        _rpcDuration = _meter.CreateHistogram<double>("videosensor.rpc.duration", unit: "s", description: "JSON-RPC call duration");
        _snapshots = _meter.CreateCounter<long>("videosensor.snapshots", description: "Snapshots by camera and outcome");
        _snapshotDuration = _meter.CreateHistogram<double>("videosensor.snapshot.duration", unit: "s", description: "Time to take a snapshot");
        _meter.CreateObservableUpDownCounter("videosensor.websocket.connections", () => Interlocked.Read(ref _connections), description: "Open WebSocket connections");
        _meter.CreateObservableGauge("videosensor.process.resident_memory", () => Environment.WorkingSet, unit: "By", description: "Resident set size");
        _meter.CreateObservableCounter("videosensor.process.cpu_time", () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, unit: "s", description: "CPU time used");
    }

    public long Connections => Interlocked.Read(ref _connections);
    public long RpcCallsTotal => Interlocked.Read(ref _rpcTotal);
    private long _rpcTotal;

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);
    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public void RpcCall(string method, int? errorCode, TimeSpan duration)
    {
        Interlocked.Increment(ref _rpcTotal);
        var outcome = new KeyValuePair<string, object?>("outcome", errorCode is null ? "ok" : errorCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _rpcCalls.Add(1, new KeyValuePair<string, object?>("method", method), outcome);
        _rpcDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("method", method));
    }

    public void SnapshotTaken(string camera, TimeSpan duration)
    {
        _snapshots.Add(1, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("outcome", "ok"));
        _snapshotDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("camera", camera));
    }

    public void SnapshotFailed(string camera) =>
        _snapshots.Add(1, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("outcome", "failed"));

    public void Dispose() => _meter.Dispose();
}
