using VideoSensor.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using VideoSensor.Health;
using VideoSensor.Events;

namespace VideoSensor.Hosting.Telemetry;

/// <summary>The Prometheus endpoint: which meters are exported, under which service identity, and their shape.</summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";
    public const string ServiceName = "videosensor";

    public static IServiceCollection AddSensorTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<RecordingBytes>();
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<RecordingBytes>());
        services.AddSingleton<MediaPathSnapshot>();
        services.AddSingleton<ServiceGauges>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: HealthReporter.Version, autoGenerateServiceInstanceId: false, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(SensorMetrics.MeterName)
                .AddRuntimeInstrumentation()
                // http.server.request.duration by route and status, with ASP.NET Core's own second-based buckets.
                .AddMeter("Microsoft.AspNetCore.Hosting")
                // Prometheus reserves a _count suffix for histograms and summaries; these runtime gauges say what they count instead.
                .AddView("dotnet.assembly.count", "dotnet.assembly.loaded")
                .AddView("dotnet.process.cpu.count", "dotnet.process.cpus")
                .AddView("dotnet.timer.count", "dotnet.timer.active")
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves <c>/metrics</c> (on the service port only: ListeningPortRouting), reading MediaMTX's paths just before each scrape.</summary>
    public static void MapSensorMetrics(this WebApplication app)
    {
        // Observable instruments exist only once constructed: build them now, not on first use.
        app.Services.GetRequiredService<SensorMetrics>();
        app.Services.GetRequiredService<ServiceGauges>();
        var paths = app.Services.GetRequiredService<MediaPathSnapshot>();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(MetricsPath, StringComparison.Ordinal))
            {
                await paths.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
            }

            await next(context).ConfigureAwait(false);
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
    }
}
