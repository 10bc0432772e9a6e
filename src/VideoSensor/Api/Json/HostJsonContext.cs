using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Methods;
using VideoSensor.Api.Rest;
using VideoSensor.Api.WebConsole;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Health;
using VideoSensor.Recording;
using VideoSensor.Snapshots;
using VideoSensor.Storage;

namespace VideoSensor.Api.Json;

/// <summary>
/// Every type the host's transports put on the wire or read from it: each JSON-RPC method's params and result
/// (the method catalog refuses to start without them), the notifications, and the REST bodies. The settings are
/// <see cref="VideoSensor.Contracts.ApiJson"/>'s; a value declared as <c>object</c> goes through
/// <see cref="LooseObjectConverter"/>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 32,
    Converters = [typeof(LooseObjectConverter)])]
// JSON-RPC params
[JsonSerializable(typeof(DeviceParams))]
[JsonSerializable(typeof(SetCameraControlParams))]
[JsonSerializable(typeof(SubscribeParams))]
[JsonSerializable(typeof(UnsubscribeParams))]
[JsonSerializable(typeof(AddExternalStreamParams))]
[JsonSerializable(typeof(RemoveExternalStreamParams))]
[JsonSerializable(typeof(DiscoverParams))]
[JsonSerializable(typeof(DiscoveryIntervalParams))]
[JsonSerializable(typeof(StartRecordingRequest))]
[JsonSerializable(typeof(StopRecordingRequest))]
[JsonSerializable(typeof(ListFilesParams))]
[JsonSerializable(typeof(FileNameParams))]
[JsonSerializable(typeof(TakeSnapshotRequest))]
[JsonSerializable(typeof(SetRetentionPolicyRequest))]
[JsonSerializable(typeof(AuthenticateParams))]
// JSON-RPC results
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(CameraList))]
[JsonSerializable(typeof(CameraStatusResult))]
[JsonSerializable(typeof(CapabilitiesResult))]
[JsonSerializable(typeof(CameraControlList))]
[JsonSerializable(typeof(ControlChangeResult))]
[JsonSerializable(typeof(SubscribeResult))]
[JsonSerializable(typeof(UnsubscribeResult))]
[JsonSerializable(typeof(SubscriptionStats))]
[JsonSerializable(typeof(ExternalStreamResult))]
[JsonSerializable(typeof(RemovedStreamResult))]
[JsonSerializable(typeof(ExternalStreamList))]
[JsonSerializable(typeof(DiscoveryResult))]
[JsonSerializable(typeof(DiscoveryIntervalResult))]
[JsonSerializable(typeof(StartRecordingResult))]
[JsonSerializable(typeof(StopRecordingResult))]
[JsonSerializable(typeof(FileList<RecordingListItem>))]
[JsonSerializable(typeof(RecordingInfo))]
[JsonSerializable(typeof(DeleteResult))]
[JsonSerializable(typeof(SnapshotResult))]
[JsonSerializable(typeof(FileList<SnapshotFile>))]
[JsonSerializable(typeof(SnapshotInfo))]
[JsonSerializable(typeof(ServiceStatus))]
[JsonSerializable(typeof(SystemStatus))]
[JsonSerializable(typeof(MetricsResult))]
[JsonSerializable(typeof(StorageInfo))]
[JsonSerializable(typeof(RetentionResult))]
[JsonSerializable(typeof(CleanupReply))]
[JsonSerializable(typeof(StartStreamingResult))]
[JsonSerializable(typeof(StopStreamingResult))]
[JsonSerializable(typeof(StreamUrlResult))]
[JsonSerializable(typeof(StreamStatusResult))]
[JsonSerializable(typeof(StreamsResult))]
[JsonSerializable(typeof(AuthenticateResult))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
// notifications (their params are written as the topic event's JSON; these types give rpc.discover their schemas)
[JsonSerializable(typeof(CameraStatusUpdateParams))]
[JsonSerializable(typeof(RecordingStatusUpdateParams))]
[JsonSerializable(typeof(SystemHealthUpdateParams))]
[JsonSerializable(typeof(TopicEventParams))]
[JsonSerializable(typeof(JsonElement))]
// REST and console bodies
[JsonSerializable(typeof(LiveBody))]
[JsonSerializable(typeof(ReadyBody))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(CapabilitiesBody))]
[JsonSerializable(typeof(CameraView))]
[JsonSerializable(typeof(SourceList))]
[JsonSerializable(typeof(SourceView))]
[JsonSerializable(typeof(CredentialRefs))]
[JsonSerializable(typeof(ConfigPatchResult))]
[JsonSerializable(typeof(SnapshotBody))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(ConsoleConfigBody))]
// values of problem-details extensions, written by their run-time type
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(List<Dictionary<string, object?>>))]
internal sealed partial class HostJsonContext : JsonSerializerContext;
