using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Recording;
using VideoSensor.Security;

namespace VideoSensor.Api.Rest;

/// <summary>
/// <c>GET /api/v1/recordings/export?device=&amp;start=&amp;end=</c> (viewer, a read like a download): the range of one
/// camera's recordings as one MP4 by stream copy; <c>start</c>/<c>end</c> are ISO 8601 times. The file is made in
/// the system's temp folder and deleted once sent.
/// </summary>
internal static class RecordingExportApi
{
    public static void MapRecordingExportApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/recordings/export", async Task<IResult> (string? device, string? start, string? end, RecordingExport export, CancellationToken ct) =>
        {
            if (device is null || !CameraIds.IsValid(device))
            {
                return RestProblems.Field("device", "is required: a camera id");
            }

            if (!TryTime(start, out var from))
            {
                return RestProblems.Field("start", "is required: an ISO 8601 time such as 2026-01-31T12:00:00Z");
            }

            if (!TryTime(end, out var to))
            {
                return RestProblems.Field("end", "is required: an ISO 8601 time such as 2026-01-31T12:05:00Z");
            }

            var output = Path.Combine(Path.GetTempPath(), $"videosensor-export-{Guid.NewGuid():N}.mp4");
            try
            {
                await export.ExportAsync(device, from, to, output, ct).ConfigureAwait(false);
            }
            catch (SensorException ex)
            {
                File.Delete(output);
                return RestProblems.From(ex);
            }

            var name = $"{device}_{from.UtcDateTime:yyyyMMdd'T'HHmmss}Z_{(int)Math.Round((to - from).TotalSeconds)}s.mp4";
            var stream = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            return Results.Stream(stream, "video/mp4", fileDownloadName: name);
        }).RequireRole(Role.Viewer).WithTags("recordings");

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
