using System.ComponentModel.DataAnnotations;
using VideoSensor.Cameras;
using VideoSensor.Contracts;
using VideoSensor.Requests;
using VideoSensor.Security;

namespace VideoSensor.Recording;

/// <summary>
/// Start recording a camera: the single implementation behind JSON-RPC <c>start_recording</c>, REST
/// <c>POST /api/v1/cameras/{id}/recording</c> and the Dapr <c>start_recording</c> command.
/// </summary>
internal sealed class StartRecording(CameraRegistry registry, RecordingManager recordings)
{
    public const Role Access = Role.Operator;

    public async Task<StartRecordingResult> ExecuteAsync(StartRecordingRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var camera = registry.Get(request.Device);
        var duration = request.Duration is { } d ? TimeSpan.FromSeconds(d) : (TimeSpan?)null;
        var session = await recordings.StartAsync(camera, request.Format, duration, cancellationToken).ConfigureAwait(false);
        return new StartRecordingResult(session.Device, session.FileName, "RECORDING", session.StartTime.UtcDateTime.ToString("O"), session.Format.Name,
            request.Duration, $"/files/recordings/{Uri.EscapeDataString(session.FileName)}");
    }
}

/// <summary>Stop a camera's recording and finish its last segment; the same three callers as <see cref="StartRecording"/>.</summary>
internal sealed class StopRecording(CameraRegistry registry, RecordingManager recordings)
{
    public const Role Access = Role.Operator;

    /// <param name="reason">What the <c>recording.stop</c> event says ended it: <c>requested</c> by a client, <c>command</c> from the platform.</param>
    public async Task<StopRecordingResult> ExecuteAsync(StopRecordingRequest request, string reason = "requested")
    {
        request.Validate();
        var camera = registry.Get(request.Device);
        var summary = await recordings.StopAsync(camera.Id, reason).ConfigureAwait(false);
        return new StopRecordingResult(summary.Device, summary.FileName, "STOPPED", summary.StartTime.UtcDateTime.ToString("O"),
            (summary.EndTime ?? summary.StartTime).UtcDateTime.ToString("O"), summary.Duration, summary.FileSize, summary.Format,
            [.. summary.Segments.Select(s => s.FileName)], summary.Restarts, summary.GapSeconds);
    }
}

/// <summary><c>{device, duration?: seconds, format?: fmp4|mp4|mkv}</c>.</summary>
internal sealed class StartRecordingRequest : IValidatedRequest
{
    public required string Device { get; init; }
    public double? Duration { get; init; }
    public string? Format { get; init; }

    public void Validate()
    {
        RequestRules.Device(Device);
        RequestRules.OneOf(Format, "format", [.. RecordingFormat.Names]);
        if (Duration is { } d && (double.IsNaN(d) || d < 1 || d > 7 * 86_400))
        {
            throw RequestRules.Invalid("duration", "a number of seconds from 1 to 604800", "'duration' must be between 1 and 604800 seconds");
        }
    }
}

/// <summary><c>{device}</c>.</summary>
internal sealed class StopRecordingRequest : IValidatedRequest
{
    public required string Device { get; init; }

    public void Validate() => RequestRules.Device(Device);
}

internal sealed record StartRecordingResult(string Device, string Filename, [property: AllowedValues("RECORDING")] string Status, string StartTime, string Format, double? Duration, string DownloadUrl);

internal sealed record StopRecordingResult(string Device, string Filename, [property: AllowedValues("STOPPED")] string Status, string StartTime, string EndTime, double Duration, long FileSize, string Format,
    IReadOnlyList<string> Files, int Restarts, double GapSeconds);
