using VideoSensor.Health;

namespace VideoSensor.Api.JsonRpc.Methods;

/// <summary>
/// The component states existing clients validate in <c>get_status</c> (RUNNING, STOPPED, ERROR,
/// STARTING, STOPPING), derived from the richer health the service keeps in <c>component_details</c>.
/// </summary>
internal static class ComponentStates
{
    public const string Running = "RUNNING";
    public const string Stopped = "STOPPED";
    public const string Error = "ERROR";
    public const string Starting = "STARTING";
    public const string Stopping = "STOPPING";

    public static IReadOnlyList<string> All { get; } = [Running, Stopped, Error, Starting, Stopping];

    /// <summary>
    /// A degraded part still runs (its detail says what is wrong); a failed one is ERROR, unless the
    /// service is still starting (then it is not there yet) or stopping (then everything is on its way down).
    /// </summary>
    public static string From(ComponentHealth health, bool starting, bool stopping) => health.Status switch
    {
        ComponentHealth.Stopped or ComponentHealth.Disabled => Stopped,
        _ when stopping => Stopping,
        ComponentHealth.Healthy or ComponentHealth.Degraded => Running,
        _ when starting => Starting,
        _ => Error,
    };
}
