using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// The subset of MediaMTX's <c>PathConf</c> the service sets. Null members are not sent, so a patch
/// only touches what is given. Names follow mediamtx-openapi.yaml (camelCase).
/// </summary>
internal sealed record PathConf
{
    public string? Name { get; init; }
    public string? Source { get; init; }
    public bool? SourceOnDemand { get; init; }
    public string? RtspTransport { get; init; }
    public int? MaxReaders { get; init; }
    public bool? Record { get; init; }

    /// <summary>Command MediaMTX runs when a reader arrives on a publisher path nobody publishes to; it holds readers until a publisher comes.</summary>
    public string? RunOnDemand { get; init; }

    /// <summary>How long readers are held for a publisher (a duration such as <c>10s</c>).</summary>
    public string? RunOnDemandStartTimeout { get; init; }

    /// <summary>How long after the last reader the on-demand command is stopped (a duration such as <c>300s</c>).</summary>
    public string? RunOnDemandCloseAfter { get; init; }

    /// <summary>
    /// Time each track by the publisher's RTCP sender reports instead of by packet arrival. Arrival timing bakes the
    /// publisher's start-up lag of each track into A/V sync (measured: audio off by up to 0.3 s, varying per run).
    /// </summary>
    public bool? UseAbsoluteTimestamp { get; init; }
}

/// <summary><c>PathConfList</c>: one page of path configurations.</summary>
internal sealed record PathConfList(int ItemCount, int PageCount, IReadOnlyList<PathConf> Items);

/// <summary><c>Path</c>: a path's live state.</summary>
internal sealed record MtxPath
{
    public string Name { get; init; } = "";
    public string? ConfName { get; init; }
    public bool Ready { get; init; }
    public bool Available { get; init; }
    public bool Online { get; init; }
    public string? ReadyTime { get; init; }
    public string? AvailableTime { get; init; }
    public string? OnlineTime { get; init; }
    public PathSource? Source { get; init; }
    public IReadOnlyList<PathReader> Readers { get; init; } = [];
    public long BytesSent { get; init; }
    public long BytesReceived { get; init; }
    public long InboundBytes { get; init; }
    public long OutboundBytes { get; init; }

    /// <summary>
    /// True when media flows: <c>available</c> (newer MediaMTX) or <c>ready</c> (older). Not <c>online</c>: MediaMTX
    /// reports a path with a static source online even while that source cannot be reached.
    /// </summary>
    public bool IsReady => Available || Ready;

    /// <summary>Bytes sent to readers; newer MediaMTX reports outboundBytes, older bytesSent.</summary>
    public long BytesOut => Math.Max(OutboundBytes, BytesSent);
}

internal sealed record PathList(int ItemCount, int PageCount, IReadOnlyList<MtxPath> Items);

internal sealed record PathSource(string? Type, string? Id);

internal sealed record PathReader(string? Type, string? Id);

internal sealed record MtxInfo(string? Version, string? Started);

internal sealed record MtxError(string? Status, string? Error);

/// <summary>
/// JSON of the MediaMTX API: web defaults (camelCase, read in any case), nulls left out. The serializer code for every
/// type that crosses it is generated at compile time (trim- and AOT-safe); a new one is added to <see cref="MediaMtxJsonContext"/>.
/// </summary>
internal static class MediaMtxJson
{
    public static readonly JsonSerializerOptions Options = MediaMtxJsonContext.Default.Options;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PathConf))]
[JsonSerializable(typeof(PathConfList))]
[JsonSerializable(typeof(PathList))]
[JsonSerializable(typeof(MtxInfo))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(MediaMtxAuthRequest))]
internal sealed partial class MediaMtxJsonContext : JsonSerializerContext;
