using System.Text.Json;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>
/// A request's id as the reply must echo it: an integer, a string, null — or absent, which makes the message a
/// notification that gets no reply. Held as a value, not as a piece of the request's JSON, so the reply can be
/// written after the request's buffer is reused.
/// </summary>
internal readonly struct RpcId
{
    private readonly long _number;
    private readonly string? _text;

    private RpcId(Kind kind, long number, string? text)
    {
        IdKind = kind;
        _number = number;
        _text = text;
    }

    internal enum Kind
    {
        Absent,
        Null,
        Number,
        String,
    }

    public static RpcId Absent => default;

    public static RpcId Null => new(Kind.Null, 0, null);

    public Kind IdKind { get; }

    public bool IsAbsent => IdKind == Kind.Absent;

    public static RpcId Number(long value) => new(Kind.Number, value, null);

    public static RpcId String(string value) => new(Kind.String, 0, value);

    /// <summary>
    /// The id of a message's <c>id</c> member when a reply can carry it (a string, an integer or null); otherwise
    /// null, as JSON-RPC answers a request whose id cannot be read.
    /// </summary>
    public static RpcId Usable(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String => String(id.GetString()!),
        JsonValueKind.Number when id.TryGetInt64(out var n) => Number(n),
        _ => Null,
    };

    /// <summary>Writes <c>"id": …</c>; an absent id is written as null (an error reply to a message without one).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (IdKind)
        {
            case Kind.Number:
                writer.WriteNumber("id"u8, _number);
                break;
            case Kind.String:
                writer.WriteString("id"u8, _text);
                break;
            default:
                writer.WriteNull("id"u8);
                break;
        }
    }

    public override string ToString() => IdKind switch
    {
        Kind.Number => _number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kind.String => $"\"{_text}\"",
        Kind.Null => "null",
        _ => "(none)",
    };
}
