using System.Text.Json.Serialization;

namespace VideoSensor.EventContract;

/// <summary>
/// The event payloads' JSON, generated at build time (no reflection, ready for Native AOT): snake_case names as the
/// API's, and nulls written (the contract's event fields are always present, null when unknown).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CameraData))]
[JsonSerializable(typeof(ControlChangedData))]
[JsonSerializable(typeof(ControlsRestoredData))]
[JsonSerializable(typeof(RecordingStartData))]
[JsonSerializable(typeof(RecordingProgressData))]
[JsonSerializable(typeof(RecordingErrorData))]
[JsonSerializable(typeof(RecordingRecoveredData))]
[JsonSerializable(typeof(RecordingStopData))]
[JsonSerializable(typeof(SnapshotTakenData))]
[JsonSerializable(typeof(SnapshotErrorData))]
[JsonSerializable(typeof(StorageLowSpaceData))]
[JsonSerializable(typeof(SystemStartupData))]
[JsonSerializable(typeof(SystemShutdownData))]
internal sealed partial class EventContractJson : JsonSerializerContext;
