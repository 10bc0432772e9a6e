using VideoSensor.Configuration;

namespace VideoSensor.Platform.Dapr;

/// <summary>Topic names with their placeholders filled in.</summary>
internal static class DaprTopics
{
    public const string Registered = "sensor.registered";
    public const string Heartbeat = "sensor.heartbeat";
    public const string Deregistered = "sensor.deregistered";
    public const string CommandResult = "command.result";

    public static string Commands(DaprOptions options, DaprSidecar sidecar) => Fill(options.CommandsTopic, sidecar);

    /// <summary>The commands topic of one instance of this app (this one when <paramref name="instanceId"/> is null).</summary>
    public static string InstanceCommands(DaprOptions options, DaprSidecar sidecar, string? instanceId = null) => options.InstanceCommandsTopic
        .Replace("{app_id}", sidecar.AppId, StringComparison.Ordinal)
        .Replace("{instance_id}", instanceId ?? sidecar.InstanceId, StringComparison.Ordinal);

    public static string DeadLetter(DaprOptions options, DaprSidecar sidecar) => Fill(options.CommandsDeadLetterTopic, sidecar);

    private static string Fill(string topic, DaprSidecar sidecar) => topic
        .Replace("{app_id}", sidecar.AppId, StringComparison.Ordinal)
        .Replace("{instance_id}", sidecar.InstanceId, StringComparison.Ordinal);
}
