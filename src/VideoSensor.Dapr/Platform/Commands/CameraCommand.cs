using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VideoSensor.Platform.Commands;

/// <summary>
/// A command from the platform (a CloudEvent on the commands topic): <c>{action, device?, params?}</c>.
/// <paramref name="Id"/> is the CloudEvent id, echoed in the result event.
/// </summary>
internal sealed record CameraCommand(string Id, string Action, string? Device, JsonElement Parameters)
{
    public const string StartRecording = "start_recording";
    public const string StopRecording = "stop_recording";
    public const string Snapshot = "snapshot";
    public const string Rescan = "rescan";

    /// <summary>Every action of the commands contract, handled or not on this build.</summary>
    public static IReadOnlyList<string> KnownActions { get; } = [StartRecording, StopRecording, Snapshot, Rescan];

    public string? StringParameter(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public int? IntParameter(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}

/// <summary>
/// How a command ended. <see cref="Outcome"/> decides what the sidecar is told (SUCCESS, RETRY or DROP);
/// <see cref="Data"/> is the action's own result (a JSON object), published in <c>command.result</c>.
/// </summary>
internal sealed record CommandResult(CommandOutcome Outcome, string Detail, JsonElement? Data = null)
{
    /// <summary>The contract's code of the failure (as JSON-RPC and REST report it); null on success.</summary>
    public int? ErrorCode { get; init; }

    public static CommandResult Ok(string detail) => new(CommandOutcome.Succeeded, detail);

    public static CommandResult Ok<T>(string detail, T data, JsonTypeInfo<T> json) => new(CommandOutcome.Succeeded, detail, JsonSerializer.SerializeToElement(data, json));
    public static CommandResult Unsupported(string detail) => new(CommandOutcome.Unsupported, detail);
    public static CommandResult Invalid(string detail) => new(CommandOutcome.Invalid, detail);
}

internal enum CommandOutcome
{
    /// <summary>Done.</summary>
    Succeeded,

    /// <summary>A well-formed command this build cannot carry out (dead-lettered, not retried).</summary>
    Unsupported,

    /// <summary>Malformed, unknown camera, wrong state: retrying cannot help (dead-lettered).</summary>
    Invalid,

    /// <summary>A dependency failed (ffmpeg, storage): worth another delivery.</summary>
    Failed,
}

/// <summary>Carries out one or more command actions. Recording plugs in here with start_recording/stop_recording.</summary>
internal interface ICameraCommandHandler
{
    IReadOnlyList<string> Actions { get; }

    Task<CommandResult> HandleAsync(CameraCommand command, CancellationToken cancellationToken);
}
