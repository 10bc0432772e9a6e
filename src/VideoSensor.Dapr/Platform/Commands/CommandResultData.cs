using System.Text.Json;
using System.Text.Json.Serialization;
using VideoSensor.EventContract;

namespace VideoSensor.Platform.Commands;

/// <summary>
/// <c>command.result</c>: which command (the CloudEvent id), how it ended, on which instance, the contract's error
/// code on failure, and the action's own result fields (<see cref="CommandResult.Data"/>) beside them.
/// </summary>
internal sealed record CommandResultData(string CommandId, string Action, string Outcome, string Detail, string InstanceId) : EventData
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ErrorCode { get; init; }

    /// <remarks>Settable, not init: System.Text.Json binds init-only members like constructor parameters, and extension data cannot be one.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Result { get; set; }
}

/// <summary>What a <c>snapshot</c> command made.</summary>
internal sealed record SnapshotCommandData(string Filename, long FileSize, string Resolution, string Format, string DownloadUrl);

/// <summary>What <c>start_recording</c> started.</summary>
internal sealed record RecordingStartedCommandData(string Filename, string Format, string DownloadUrl);

/// <summary>What <c>stop_recording</c> finished, measured from its files.</summary>
internal sealed record RecordingStoppedCommandData(string Filename, double Duration, long FileSize, IReadOnlyList<string> Files);

/// <summary>What <c>rescan</c> found.</summary>
internal sealed record RescanCommandData(int Probed, int Cameras, int Connected);
