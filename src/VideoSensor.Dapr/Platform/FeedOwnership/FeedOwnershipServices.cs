using VideoSensor.FeedOwnership;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoSensor.Health;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Platform.Dapr;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>
/// RTSP feed ownership: the <c>RtspFeedOwner</c> actor and its claims when a sidecar is used and
/// <c>dapr.feed_ownership</c> is on, every feed owned otherwise (standalone behaviour).
/// </summary>
internal static class FeedOwnershipServices
{
    public static IServiceCollection AddFeedOwnership(this IServiceCollection services)
    {
        services.AddSingleton<ActorFeedOwnership>();
        services.AddSingleton<IFeedOwnership>(sp => UsesActors(sp) ? sp.GetRequiredService<ActorFeedOwnership>() : new LocalFeedOwnership());
        services.AddSingleton<IHostedService>(sp => UsesActors(sp) ? sp.GetRequiredService<ActorFeedOwnership>() : new PlatformServices.Idle());
        services.AddHostedService<OwnershipEffects>();
        services.AddSingleton<IComponentHealthCheck, FeedOwnershipHealthCheck>();

        // Actor calls and actor state go to this instance's sidecar (per host, not the process-wide DAPR_HTTP_PORT).
        services.AddSingleton<SidecarActors>();
        return services;
    }

    /// <summary>The app side of the actor API (<c>/dapr/config</c>, <c>/actors/…</c>, <c>/healthz</c>), only for the sidecar.</summary>
    public static void MapFeedOwnership(this IEndpointRouteBuilder app)
    {
        if (!UsesActors(app.ServiceProvider))
        {
            return;
        }

        app.MapActorHost(app.ServiceProvider.GetRequiredService<DaprSidecar>());
    }

    private static bool UsesActors(IServiceProvider sp) =>
        sp.GetRequiredService<DaprSidecar>().IsActive && sp.GetRequiredService<IOptions<DaprOptions>>().Value.FeedOwnership;

    /// <summary>When a feed changes hands MediaMTX's paths follow at once (the reconciler only reacts to source changes by itself).</summary>
    private sealed class OwnershipEffects(IFeedOwnership ownership, IServiceProvider services) : IHostedService
    {
        private PathReconciler? _reconciler;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _reconciler = services.GetService<PathReconciler>();
            ownership.Changed += OnChanged;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            ownership.Changed -= OnChanged;
            return Task.CompletedTask;
        }

        private void OnChanged(string cameraId) => _reconciler?.Poke();
    }
}
