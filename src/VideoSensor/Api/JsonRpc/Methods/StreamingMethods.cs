using VideoSensor.Cameras;
using System.ComponentModel.DataAnnotations;
using VideoSensor.Errors;
using VideoSensor.Media;
using VideoSensor.Media.Ingest;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>Starting, stopping and describing camera streams, all from MediaMTX's real state.</summary>
internal sealed partial class StreamingMethods(
    CameraRegistry cameras,
    IngestSupervisor streams,
    StreamState live,
    StreamUrls urls,
    TimeProvider time) : IRpcMethodGroup
{
    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("start_streaming", Role.Operator, "Makes a camera's stream available on MediaMTX (RTSP, WebRTC, HLS).", Result = "{device, stream_name, stream_url, status, start_time, auto_close_after, format}")]
    public async Task<StartStreamingResult> StartStreamingAsync(DeviceParams request, CancellationToken cancellationToken)
    {
        var camera = cameras.Get(request.Device);
        var session = await streams.StartByApiAsync(camera.Id, cancellationToken).ConfigureAwait(false);
        return new StartStreamingResult(camera.Id, camera.Id, urls.Rtsp(camera.Id), "STARTED", Time(session.ApiStarted ?? session.Since),
            (int)streams.AutoCloseAfter.TotalSeconds, "rtsp", urls.WebRtc(camera.Id), urls.Hls(camera.Id));
    }

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.InvalidState, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("stop_streaming", Role.Operator, "Stops a camera's stream unless a recording still needs it.", Result = "{device, stream_name, status, start_time, end_time, duration}")]
    public async Task<StopStreamingResult> StopStreamingAsync(DeviceParams request)
    {
        var camera = cameras.Get(request.Device);
        var session = await streams.StopByApiAsync(camera.Id).ConfigureAwait(false)
            ?? throw new InvalidStateException($"camera '{camera.Id}' is not streaming", "STOPPED", ["STARTED"], "call start_streaming first");
        var end = time.GetUtcNow();
        var start = session.ApiStarted ?? session.Since;
        return new StopStreamingResult(camera.Id, camera.Id, "STOPPED", Time(start), Time(end), Math.Round((end - start).TotalSeconds, 3), session.Holds > 0);
    }

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("get_stream_url", WatchCamera.Access, "A camera's stream URL and whether it can be watched now.", Result = "{device, stream_name, stream_url, available, active_consumers, stream_status, streams, audio?, audio_protocols}")]
    public async Task<StreamUrlResult> GetStreamUrlAsync(DeviceParams request, CancellationToken cancellationToken)
    {
        var camera = cameras.Get(request.Device);
        var path = await live.GetAsync(camera.Id, cancellationToken).ConfigureAwait(false);
        var ready = path?.IsReady ?? false;
        var status = ready ? "READY" : Failing(camera.Id) ? "ERROR" : "NOT_READY";
        return new StreamUrlResult(camera.Id, camera.Id, urls.Rtsp(camera.Id), ready, path?.Readers.Count ?? 0, status,
            new Cameras.StreamLinks(urls.Rtsp(camera.Id), urls.WebRtc(camera.Id), urls.Hls(camera.Id)),
            Cameras.AudioTrackView.From(camera.Audio),
            camera.Audio?.Protocols ?? []);
    }

    [RpcErrors(RpcErrorCodes.NotFound, RpcErrorCodes.DependencyFailed)]
    [RpcMethod("get_stream_status", WatchCamera.Access, "A camera stream's readiness, viewers, traffic and ingest process.", Result = "{device, stream_name, status, ready, viewers, start_time, last_activity, bytes_sent, ingest}")]
    public async Task<StreamStatusResult> GetStreamStatusAsync(DeviceParams request, CancellationToken cancellationToken)
    {
        var camera = cameras.Get(request.Device);
        var path = await live.GetAsync(camera.Id, cancellationToken).ConfigureAwait(false);
        var session = streams.TryGet(camera.Id);
        var ready = path?.IsReady ?? false;
        var ingest = session?.Ingest?.Status;
        var now = time.GetUtcNow();
        var status = ready ? "ACTIVE" : Failing(camera.Id) ? "ERROR" : session is null ? "INACTIVE" : "STARTING";
        return new StreamStatusResult(
            camera.Id,
            camera.Id,
            status,
            ready,
            path?.Readers.Count ?? 0,
            session is null ? null : Time(session.ApiStarted ?? session.Since),
            session is null ? null : Time(session.LastActivity),
            path?.BytesOut ?? 0,
            new IngestInfo(
                ingest?.Running ?? false,
                ingest?.Pid,
                ingest is { Running: true, StartedAt: { } started } ? Math.Round((now - started).TotalSeconds, 3) : 0,
                ingest?.Restarts ?? 0,
                ingest?.LastExitCode,
                ingest is { Running: false } && ingest.LastErrors.Count > 0 ? ingest.LastErrors[^1] : null));
    }

    [RpcErrors(RpcErrorCodes.DependencyFailed)]
    [RpcMethod("get_streams", Role.Viewer, "Every stream MediaMTX has, with readiness, viewers and traffic.", Result = "{streams, total, active}")]
    public async Task<StreamsResult> GetStreamsAsync(CancellationToken cancellationToken)
    {
        var paths = await live.ListAsync(cancellationToken).ConfigureAwait(false);
        var items = paths.Select(p => new StreamItem(p.Name, p.Source?.Type, p.IsReady, p.Readers.Count, p.BytesOut)).ToList();
        return new StreamsResult(items, items.Count, items.Count(i => i.Ready));
    }

    private bool Failing(string cameraId) => streams.TryGet(cameraId)?.Ingest?.Status is { Running: false, Restarts: > 0 };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O");
}

internal sealed record StartStreamingResult(string Device, string StreamName, string StreamUrl, [property: AllowedValues("STARTED")] string Status, string StartTime, int AutoCloseAfter, string Format, string WebrtcUrl, string HlsUrl);

internal sealed record StopStreamingResult(string Device, string StreamName, [property: AllowedValues("STOPPED")] string Status, string StartTime, string EndTime, double Duration, bool StillHeld);

/// <summary><c>get_stream_url</c>; <c>audio_protocols</c> lists the protocols that carry the camera's measured audio track (empty: no audio seen).</summary>
internal sealed record StreamUrlResult(string Device, string StreamName, string StreamUrl, bool Available, int ActiveConsumers, [property: AllowedValues("READY", "NOT_READY", "ERROR")] string StreamStatus, Cameras.StreamLinks Streams, Cameras.AudioTrackView? Audio, IReadOnlyList<string> AudioProtocols);

internal sealed record IngestInfo(bool Running, int? Pid, double Uptime, int Restarts, int? LastExitCode, string? LastError);

internal sealed record StreamStatusResult(string Device, string StreamName, string Status, bool Ready, int Viewers, string? StartTime, string? LastActivity, long BytesSent, IngestInfo Ingest);

internal sealed record StreamItem(string Name, string? Source, bool Ready, int Viewers, long BytesSent);

internal sealed record StreamsResult(IReadOnlyList<StreamItem> Streams, int Total, int Active);
