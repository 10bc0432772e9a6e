using Microsoft.Extensions.DependencyInjection;

namespace VideoSensor.Media.Capacity;

/// <summary>The stream-capacity limit and its tracker.</summary>
internal static class CapacityRegistration
{
    public static IServiceCollection AddCapacity(this IServiceCollection services)
    {
        services.AddSingleton<CapacityTracker>();
        services.AddSingleton<IStreamCapacity>(sp => sp.GetRequiredService<CapacityTracker>());
        return services;
    }
}
