using VideoSensor.Cameras;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Api.JsonRpc.Methods;
using VideoSensor.Errors;
using VideoSensor.Media;
using VideoSensor.Security;
using VideoSensor.Snapshots;

namespace VideoSensor.Api.Rest;

/// <summary>
/// <c>GET /api/v1/cameras/{id}/preview.jpg?max_width=</c>: the camera's current picture for viewers, grabbed in
/// memory (nothing stored, no event). The web console shows it when no live video plays.
/// </summary>
internal static class PreviewApi
{
    private const int DefaultWidth = 640;

    public static void MapPreviewApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/cameras/{id}/preview.jpg", async (string id, [FromQuery(Name = "max_width")] string? maxWidth, HttpContext http, CameraRegistry cameras, PreviewService previews, CancellationToken ct) =>
        {
            var width = DefaultWidth;
            if (maxWidth is not null && (!int.TryParse(maxWidth, NumberStyles.None, CultureInfo.InvariantCulture, out width) || width is < PreviewService.MinWidth or > PreviewService.MaxWidth))
            {
                return RestProblems.Field("max_width", $"must be a whole number from {PreviewService.MinWidth} to {PreviewService.MaxWidth}");
            }

            try
            {
                var preview = await previews.GetAsync(cameras.Get(id), width, ct).ConfigureAwait(false);
                http.Response.Headers.CacheControl = "no-store";
                http.Response.Headers["X-Frame-Time"] = preview.Taken.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
                http.Response.Headers["X-Frame-Source"] = preview.Source.ToWire();
                return Results.File(preview.Jpeg, "image/jpeg");
            }
            catch (SensorException ex)
            {
                return RestProblems.From(ex);
            }
        }).WithTags("cameras").RequireRole(WatchCamera.Access);
}
