using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VideoSensor.Configuration;
using VideoSensor.Health;
using VideoSensor.Platform.Commands;
using VideoSensor.Configuration.Live;
using VideoSensor.Platform.Dapr;
using VideoSensor.Events;
using VideoSensor.Platform.FeedOwnership;
using VideoSensor.FeedOwnership;
using VideoSensor.Platform.Registration;
using VideoSensor.Media.Capacity;
using VideoSensor.Secrets;

namespace VideoSensor.Platform;

/// <summary>
/// The platform ports and their implementations: Dapr when a sidecar is expected (see <see cref="DaprSidecar"/>),
/// local ones otherwise. Live configuration (file watching) works in both.
/// </summary>
internal static class PlatformServices
{
    public static WebApplicationBuilder AddDaprPlatform(this WebApplicationBuilder builder, LoadedConfig config)
    {
        // The live provider carries the start-up values itself, so it takes the place of the start-up source.
        var provider = new LiveConfigurationProvider(config.Configuration);
        builder.Configuration.Sources.Clear();
        ((IConfigurationBuilder)builder.Configuration).Add(provider);
        var services = builder.Services;
        services.AddSingleton(provider);
        services.AddSingleton(new LiveConfigurationBase(config.Configuration, config.Path));
        services.AddSingleton<LiveConfiguration>();
        services.AddHostedService<ConfigFileWatcher>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DaprSidecar>();
        services.AddSingleton<SidecarMonitor>();
        services.AddSingleton<DaprEventPublisher>();
        services.AddSingleton<DaprConfigurationWatcher>();
        services.AddSingleton(sp => new ConfigurationReadiness(sp.GetRequiredService<DaprSidecar>().IsActive ? sp.GetRequiredService<DaprConfigurationWatcher>().FirstRead.Task : Task.CompletedTask));
        services.AddSingleton<IComponentHealthCheck, DaprHealthCheck>();
        services.TryAddSingleton<IStreamCapacity, NoStreamCapacity>();
        services.AddSingleton<SensorDescription>();
        services.AddSingleton<CameraCommandDispatcher>();
        services.AddSingleton<ICameraCommandHandler, SnapshotCommandHandler>();
        services.AddSingleton<ICameraCommandHandler, RescanCommandHandler>();
        services.AddSingleton<ICameraCommandHandler, RecordingCommandHandler>();

        // Which implementation of each port: decided once, from the mode and the environment.
        services.AddSingleton<IPlatformPublisher>(sp => sp.GetRequiredService<DaprSidecar>().IsActive
            ? sp.GetRequiredService<DaprEventPublisher>()
            : new NoPlatformPublisher());
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<DaprSidecar>().IsActive
            ? sp.GetRequiredService<DaprEventPublisher>()
            : new NoPlatformPublisher.Sink());
        services.AddKeyedSingleton<ISecretSource>(PlatformSecretSource.Key, (sp, _) => sp.GetRequiredService<DaprSidecar>().IsActive
            ? ActivatorUtilities.CreateInstance<DaprSecretSource>(sp)
            : ActivatorUtilities.CreateInstance<LocalSecretSource>(sp));

        // Stopped in reverse order: registration (deregisters, flushes) before the publisher and the monitor.
        services.AddSingleton<IHostedService>(sp => Active<SidecarMonitor>(sp));
        services.AddSingleton<IHostedService>(sp => Active<DaprEventPublisher>(sp));
        services.AddSingleton<IHostedService>(sp => Active<DaprConfigurationWatcher>(sp));
        services.AddHostedService<SensorRegistration>();
        services.AddFeedOwnership();
        return builder;
    }

    public static void MapDaprPlatform(this WebApplication app)
    {
        app.MapFeedOwnership();
        if (app.Services.GetRequiredService<DaprSidecar>().IsActive)
        {
            app.UseDaprCommandEnvelopes();
            app.MapDaprCommands();
        }
    }

    private static IHostedService Active<T>(IServiceProvider sp)
        where T : class, IHostedService =>
        sp.GetRequiredService<DaprSidecar>().IsActive ? sp.GetRequiredService<T>() : new Idle();

    /// <summary>Stands in for a Dapr background service when there is no sidecar.</summary>
    internal sealed class Idle : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
