using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VideoSensor.Telemetry;

/// <summary>The service's own instruments, exported at <c>/metrics</c>. Every figure is measured, never set by hand.</summary>
internal sealed class SensorMetrics : IDisposable
{
    public const string MeterName = "VideoSensor";

    /// <summary>Seconds: a ping answers in well under a millisecond, a cold snapshot or a scan takes seconds.</summary>
    private static readonly double[] RpcBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>Seconds: a frame from a running stream takes tens of ms, a cold RTSP feed waits for a keyframe (~2 s), the timeout is 15 s.</summary>
    private static readonly double[] SnapshotBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30];
    private readonly Meter _meter;
    private readonly Counter<long> _rpcCalls;
    private readonly Histogram<double> _rpcDuration;
    private readonly Counter<long> _snapshots;
    private readonly Histogram<double> _snapshotDuration;
    private readonly Counter<long> _authFailures;
    private long _connections;

    public SensorMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _rpcCalls = _meter.CreateCounter<long>("videosensor.rpc.calls", description: "JSON-RPC calls by method and outcome");
        _rpcDuration = _meter.CreateHistogram("videosensor.rpc.duration", unit: "s", description: "JSON-RPC call duration",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RpcBuckets });
        _snapshots = _meter.CreateCounter<long>("videosensor.snapshots", description: "Snapshots by camera and outcome");
        _snapshotDuration = _meter.CreateHistogram("videosensor.snapshot.duration", unit: "s", description: "Time to take a snapshot",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SnapshotBuckets });
        _authFailures = _meter.CreateCounter<long>("videosensor.auth.failures", description: "Credentials refused, by transport (rpc, rest, websocket_upgrade)");
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

    public void AuthenticationFailed(string transport) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("transport", transport));

    public void SnapshotFailed(string camera) =>
        _snapshots.Add(1, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("outcome", "failed"));

    public void Dispose() => _meter.Dispose();
}
