using System.Text.Json;
using System.Text.Json.Serialization;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Cameras.Usb;
using VideoSensor.Cameras.Usb.Controls;
using VideoSensor.Media.Ffmpeg;

namespace VideoSensor.Storage;

/// <summary>
/// Every document kept in the state folder and its JSON: web defaults (camelCase names, read in any case, numbers
/// also from strings), indented. The serializer code is generated at compile time, so it survives trimming and
/// Native AOT; a new <see cref="StateFile{T}"/> document type is added here (its first use says so otherwise).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(StoreDocument))]
[JsonSerializable(typeof(Dictionary<string, List<StoredControl>>))]
[JsonSerializable(typeof(List<StoredSource>))]
[JsonSerializable(typeof(List<ProbeCacheEntry>))]
[JsonSerializable(typeof(RuntimeOverride<int>.Stored), TypeInfoPropertyName = "IntOverride")]
[JsonSerializable(typeof(RuntimeOverride<RetentionPolicy>.Stored), TypeInfoPropertyName = "RetentionPolicyOverride")]
[JsonSerializable(typeof(Dictionary<string, string?>), TypeInfoPropertyName = "ConfigOverrides")]
internal sealed partial class StateFileJson : JsonSerializerContext;
