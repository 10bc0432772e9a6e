using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Api.Json;
using VideoSensor.Health;

namespace VideoSensor.Api.Rest;

/// <summary>Liveness, readiness and the full health report. No auth: orchestrators probe these.</summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        // Liveness never depends on anything outside the process.
        app.MapGet("/health/live", () => Results.Ok(new LiveBody("alive")));
        app.MapGet("/health/ready", async (HealthReporter reporter, StartupState startup, CancellationToken ct) =>
        {
            var report = await reporter.ReportAsync(ct).ConfigureAwait(false);
            var ready = startup.IsReady && report.Status != ComponentHealth.Unhealthy;
            return Results.Json(new ReadyBody(ready ? "ready" : "not_ready", report.Status, report.Components), HostJson.HttpInfo<ReadyBody>(), statusCode: ready ? 200 : 503);
        });
        app.MapGet("/health", async (HealthReporter reporter, CancellationToken ct) =>
        {
            var report = await reporter.ReportAsync(ct).ConfigureAwait(false);
            return Results.Json(new HealthBody(report.Status, report.Timestamp.UtcDateTime.ToString("O"), report.Version, Math.Round(report.Uptime, 3), report.Components), HostJson.HttpInfo<HealthBody>(), statusCode: report.Status == ComponentHealth.Unhealthy ? 503 : 200);
        });
    }
}
