using System.Reflection;

namespace VideoSensor.Health;

/// <summary>The service's overall health, from every component check.</summary>
internal sealed record HealthReport(string Status, DateTimeOffset Timestamp, string Version, double Uptime, IReadOnlyDictionary<string, ComponentHealth> Components);

/// <summary>Runs the component checks and sums them up: any critical failure is UNHEALTHY, any other DEGRADED.</summary>
internal sealed class HealthReporter(IEnumerable<IComponentHealthCheck> checks, StartupState startup, TimeProvider time)
{
    public static string Version { get; } =
        typeof(HealthReporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public async Task<HealthReport> ReportAsync(CancellationToken cancellationToken)
    {
        var components = new Dictionary<string, ComponentHealth>(StringComparer.Ordinal);
        var status = ComponentHealth.Healthy;
        foreach (var check in checks)
        {
            ComponentHealth health;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                health = await check.CheckAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                health = new ComponentHealth(ComponentHealth.Unhealthy, "the check timed out");
            }

            components[check.Name] = health;
            if (health.Status is ComponentHealth.Unhealthy or ComponentHealth.Stopped)
            {
                status = check.Critical ? ComponentHealth.Unhealthy : Worse(status, ComponentHealth.Degraded);
            }
            else if (health.Status == ComponentHealth.Degraded)
            {
                status = Worse(status, ComponentHealth.Degraded);
            }
        }

        if (!startup.IsReady)
        {
            status = Worse(status, ComponentHealth.Degraded);
        }

        return new HealthReport(status, time.GetUtcNow(), Version, startup.Uptime.TotalSeconds, components);
    }

    private static string Worse(string a, string b) => a == ComponentHealth.Unhealthy || b == ComponentHealth.Unhealthy
        ? ComponentHealth.Unhealthy
        : a == ComponentHealth.Degraded || b == ComponentHealth.Degraded ? ComponentHealth.Degraded : ComponentHealth.Healthy;
}
