using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Hosting.Health;

namespace VideoSensor.Api.Rest;

/// <summary>Liveness, readiness and the full health report. No auth: orchestrators probe these.</summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        // Liveness never depends on anything outside the process.
        app.MapGet("/health/live", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/health/ready", async (HealthReporter reporter, StartupState startup, CancellationToken ct) =>
        {
            var report = await reporter.ReportAsync(ct).ConfigureAwait(false);
            var ready = startup.IsReady && report.Status != ComponentHealth.Unhealthy;
            return Results.Json(new { status = ready ? "ready" : "not_ready", health = report.Status, components = report.Components }, statusCode: ready ? 200 : 503);
        });
        app.MapGet("/health", async (HealthReporter reporter, CancellationToken ct) =>
        {
            var report = await reporter.ReportAsync(ct).ConfigureAwait(false);
            return Results.Json(new
            {
                status = report.Status,
                timestamp = report.Timestamp.UtcDateTime.ToString("O"),
                version = report.Version,
                uptime = Math.Round(report.Uptime, 3),
                components = report.Components,
            }, statusCode: report.Status == ComponentHealth.Unhealthy ? 503 : 200);
        });
    }
}
