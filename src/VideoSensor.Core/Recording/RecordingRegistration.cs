using VideoSensor.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VideoSensor.Configuration.Live;
using VideoSensor.Snapshots;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>Recording, retention and storage monitoring, with their JSON-RPC methods.</summary>
internal static class RecordingRegistration
{
    public static IServiceCollection AddRecordingAndRetention(this IServiceCollection services)
    {
        services.AddSingleton<StorageSpace>();
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<HeldFiles>();
        services.AddSingleton<RetentionEnforcer>();
        services.AddSingleton<StorageMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageMonitor>());
        services.AddSingleton<SegmentFiles>();
        services.AddSingleton<RecordingCatalog>();
        services.AddSingleton<ProbeCacheWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<ProbeCacheWarmup>());
        services.AddSingleton<IComponentHealthCheck, RecordingCatalogHealthCheck>();
        services.AddSingleton<RecordingManager>();
        services.AddSingleton<ILatestFrameSource>(sp => sp.GetRequiredService<RecordingManager>());
        services.AddHostedService(sp => sp.GetRequiredService<RecordingManager>());
        return services;
    }
}
