using System.Text.Json.Serialization;
using VideoSensor.Platform.Commands;
using VideoSensor.Platform.Registration;

namespace VideoSensor.Platform;

/// <summary>The platform messages' JSON, generated at build time, with the API's conventions (snake_case, nulls written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SensorRegistered))]
[JsonSerializable(typeof(SensorHeartbeat))]
[JsonSerializable(typeof(SensorDeregistered))]
[JsonSerializable(typeof(CommandResultData))]
[JsonSerializable(typeof(SnapshotCommandData))]
[JsonSerializable(typeof(RecordingStartedCommandData))]
[JsonSerializable(typeof(RecordingStoppedCommandData))]
[JsonSerializable(typeof(RescanCommandData))]
internal sealed partial class PlatformJson : JsonSerializerContext;
