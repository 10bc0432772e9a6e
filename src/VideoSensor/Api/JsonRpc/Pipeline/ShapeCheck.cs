using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>How a WebSocket message arrived: a whole text frame, or one refused before reading it.</summary>
internal enum FrameKind
{
    Text,
    TooLarge,
    Binary,
}

/// <summary>
/// What the shape step made of a message. On success: the method, its id (absent for a notification) and its
/// params (null when none were sent). Otherwise the error and the id to answer it with (null until the id is known
/// to be valid). <see cref="EchoId"/> is what of the id any reply can echo, valid or not (the rate limit answers
/// with it). <see cref="Document"/> owns the parsed JSON, over the receive buffer, until the params are bound.
/// </summary>
internal readonly record struct Envelope(
    JsonDocument? Document,
    RpcId Id,
    RpcId EchoId,
    RpcMethodInfo? Method = null,
    JsonElement? Params = null,
    RpcError? Error = null,
    string? MethodName = null,
    bool IsNotification = false,
    bool Ignore = false);

/// <summary>
/// Step 1, shape: one JSON-RPC 2.0 request per text frame — valid JSON without repeated keys, an object (no
/// batches), a usable id, <c>jsonrpc: "2.0"</c>, a method this service has, named params. Answers -32700, -32600
/// or -32601 and nothing else; it spends no budget and knows nothing of the caller.
/// </summary>
internal sealed class ShapeCheck(RpcMethodCatalog catalog, int maxMessageBytes)
{
    /// <summary>Duplicate keys are refused: which of two <c>id</c>s or <c>device</c>s counts would be a guess.</summary>
    private static readonly JsonDocumentOptions StrictJson = new() { MaxDepth = 64, AllowDuplicateProperties = false };
    private static readonly JsonDocumentOptions LenientJson = new() { MaxDepth = 64 };

    /// <summary>Longest method name (in UTF-8 bytes, quotes included) looked up from the stack.</summary>
    private const int MaxStackName = 128;

    public Envelope Read(FrameKind kind, ReadOnlyMemory<byte> message)
    {
        switch (kind)
        {
            case FrameKind.TooLarge:
                return Fail(RpcId.Null, RpcError.Create(RpcErrorCodes.InvalidRequest, "Invalid Request", $"the message exceeds the limit of {maxMessageBytes} bytes", "send smaller messages", ("max_message_bytes", maxMessageBytes)));
            case FrameKind.Binary:
                return Fail(RpcId.Null, RpcError.InvalidRequest("binary frames are not supported; send JSON text frames"));
        }

        var (document, parseError) = Parse(message);
        if (document is null)
        {
            return Fail(RpcId.Null, parseError!);
        }

        try
        {
            return Check(document);
        }
        catch (InvalidOperationException)
        {
            // Text the JSON reader accepts but .NET strings cannot hold (a lone surrogate in the method name…).
            return Fail(RpcId.Null, RpcError.InvalidRequest("the request contains text that cannot be read"), document);
        }
    }

    private Envelope Check(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return Fail(RpcId.Null, RpcError.InvalidRequest("batches are not supported"), document);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(RpcId.Null, RpcError.InvalidRequest("a request must be a JSON object"), document);
        }

        var hasMethod = root.TryGetProperty("method", out var methodElement);
        var hasId = root.TryGetProperty("id", out var idElement);
        var isNotification = hasMethod && !hasId;

        // Until the id itself is checked, an answer carries whatever of it can be echoed (for the rate limit's reply).
        var echoId = hasId ? RpcId.Usable(idElement) : RpcId.Null;
        if (hasId && idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            return Fail(RpcId.Null, RpcError.InvalidRequest("id must be a string, a number or null"), document, echoId, isNotification);
        }

        if (hasId && idElement.ValueKind == JsonValueKind.Number && !idElement.TryGetInt64(out _))
        {
            return Fail(RpcId.Null, RpcError.InvalidRequest("a numeric id must be an integer"), document, echoId, isNotification);
        }

        var id = hasId ? echoId : RpcId.Absent;
        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return Fail(id, RpcError.InvalidRequest("jsonrpc must be \"2.0\""), document, echoId, isNotification);
        }

        if (!hasMethod)
        {
            // A response from the client: the service never calls the client, so there is nothing to match.
            return root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)
                ? new Envelope(document, echoId, echoId, Ignore: true)
                : Fail(id, RpcError.InvalidRequest("method is missing"), document, echoId);
        }

        if (methodElement.ValueKind != JsonValueKind.String || methodElement.ValueEquals(""u8))
        {
            return Fail(id, RpcError.InvalidRequest("method must be a non-empty string"), document, echoId, isNotification);
        }

        // Read here, where the name was read before, so an unreadable one fails before the params are looked at.
        var method = FindMethod(methodElement);

        JsonElement? parameters = null;
        if (root.TryGetProperty("params", out var p))
        {
            if (p.ValueKind == JsonValueKind.Array)
            {
                return Fail(id, RpcError.InvalidRequest("positional params are not supported: pass params as an object"), document, echoId, isNotification);
            }

            if (p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return Fail(id, RpcError.InvalidRequest("params must be an object"), document, echoId, isNotification);
            }

            parameters = p.ValueKind == JsonValueKind.Object ? p : null;
        }

        return method is not null
            ? new Envelope(document, id, echoId, method, parameters, MethodName: method.Name, IsNotification: isNotification)
            : Fail(id, RpcError.MethodNotFound(methodElement.GetString()!), document, echoId, isNotification);
    }

    /// <summary>
    /// The method a request names, looked up without making a string of the name: a name written without escapes
    /// (every real one) is decoded from the message's bytes onto the stack. Anything else is read as a string.
    /// </summary>
    private RpcMethodInfo? FindMethod(JsonElement methodElement)
    {
        var raw = JsonMarshal.GetRawUtf8Value(methodElement);
        if (raw.Length is > 2 and <= MaxStackName && raw.IndexOf((byte)'\\') < 0)
        {
            Span<char> chars = stackalloc char[MaxStackName];
            var count = Encoding.UTF8.GetChars(raw[1..^1], chars);
            return catalog.TryGet(chars[..count], out var found) ? found : null;
        }

        return catalog.TryGet(methodElement.GetString()!, out var method) ? method : null;
    }

    /// <summary>The message as a document, or the error it gets: -32600 for repeated keys, -32700 for anything else.</summary>
    private static (JsonDocument? Document, RpcError? Error) Parse(ReadOnlyMemory<byte> message)
    {
        try
        {
            return (JsonDocument.Parse(message, StrictJson), null);
        }
        catch (JsonException)
        {
            // Parsed again only on failure, to tell a repeated key (well-formed JSON, an invalid request) from bad JSON.
            try
            {
                JsonDocument.Parse(message, LenientJson).Dispose();
                return (null, RpcError.InvalidRequest("the message repeats a key; each key may appear once per object"));
            }
            catch (JsonException)
            {
                return (null, RpcError.ParseError("the message is not valid JSON"));
            }
        }
    }

    /// <param name="id">The id the error is answered with: the request's once it is known to be valid, null before.</param>
    /// <param name="echoId">What of the id any reply can carry, valid or not.</param>
    private static Envelope Fail(RpcId id, RpcError error, JsonDocument? document = null, RpcId echoId = default, bool isNotification = false) =>
        new(document, id.IsAbsent ? RpcId.Null : id, echoId.IsAbsent ? RpcId.Null : echoId, Error: error, IsNotification: isNotification);
}
