using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using VideoSensor.Api.Json;
using VideoSensor.Contracts;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>
/// The three messages the service writes — a result, an error, a notification — straight into the connection's
/// send buffer with the API's JSON conventions (<see cref="ApiJson"/>), from generated metadata (<see cref="HostJson"/>).
/// </summary>
internal static class RpcWire
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = HostJson.Api.Encoder, SkipValidation = true };

    /// <summary><c>{"jsonrpc":"2.0","id":…,"result":…}</c>, the result written as the method's declared result type.</summary>
    public static void WriteResult(Utf8JsonWriter writer, RpcId id, object? result, JsonTypeInfo? resultType)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        id.WriteTo(writer);
        writer.WritePropertyName("result"u8);
        if (result is null || resultType is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, result, resultType);
        }

        writer.WriteEndObject();
    }

    /// <summary><c>{"jsonrpc":"2.0","id":…,"error":{"code","message","data"}}</c>.</summary>
    public static void WriteError(Utf8JsonWriter writer, RpcId id, RpcError error)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        id.WriteTo(writer);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, error.Code);
        writer.WriteString("message"u8, error.Message);
        writer.WritePropertyName("data"u8);
        LooseObjectConverter.WriteValue(writer, error.Data, HostJson.Api);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>{"jsonrpc":"2.0","method":…,"params":…}</c>, the params being the event's JSON as written once for every connection.</summary>
    public static void WriteNotification(Utf8JsonWriter writer, string method, JsonElement parameters)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WriteString("method"u8, method);
        writer.WritePropertyName("params"u8);
        parameters.WriteTo(writer);
        writer.WriteEndObject();
    }
}
