using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoSensor.Configuration.Live;
using VideoSensor.Health;
using VideoSensor.Media.Ingest;

namespace VideoSensor.Media.MediaMtx;

/// <summary>The data plane: MediaMTX supervision, its API client, path reconciliation, ingests, streaming methods.</summary>
internal static class MediaMtxRegistration
{
    public static IServiceCollection AddMediaMtx(this IServiceCollection services)
    {
        services.AddSingleton<MediaMtxState>();
        services.AddSingleton<InternalCredential>();
        services.AddSingleton<MediaMtxConfigWriter>();
        services.AddSingleton<MediaMtxLogForwarder>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MediaOptions>>();
            // One long-lived client; connection lifetime bounded so a restarted MediaMTX is picked up.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseProxy = false })
            {
                BaseAddress = options.Value.MediaMtx.ApiBaseUri(),
                Timeout = Timeout.InfiniteTimeSpan,
            };
            return ActivatorUtilities.CreateInstance<MediaMtxClient>(sp, http);
        });
        services.AddSingleton<DesiredPaths>();
        services.AddSingleton<StreamState>();
        services.AddSingleton<DataPlaneAuthorizer>();
        services.AddSingleton<MediaMtxSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaMtxSupervisor>());
        services.AddSingleton<PathReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<PathReconciler>());
        services.AddSingleton<IngestSupervisor>();
        services.AddSingleton<IStreamActivator>(sp => sp.GetRequiredService<IngestSupervisor>());
        services.AddHostedService(sp => sp.GetRequiredService<IngestSupervisor>());
        services.AddHostedService<PublishedTracks>();
        services.AddSingleton<PathReadiness>();
        services.AddSingleton<Cameras.Rtsp.IFeedProbeRoute, MediaPathProbeRoute>();
        services.AddSingleton<ReaderInput>();
        services.AddSingleton<IComponentHealthCheck, MediaMtxHealthCheck>();
        return services;
    }
}
