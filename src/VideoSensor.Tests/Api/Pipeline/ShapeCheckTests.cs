using System.Text;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Pipeline;

namespace VideoSensor.Tests.Api.Pipeline;

/// <summary>Step 1, shape: each way a message can be malformed gets its documented error, with the id it may carry.</summary>
public sealed class ShapeCheckTests
{
    private readonly ShapeCheck _shape = new(new PipelineFixture().Catalog, 4096);

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"hello\",", -32700, "not valid JSON", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"id\":1,\"id\":2}", -32600, "repeats a key", "null")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"id\":1}]", -32600, "batches", "null")]
    [InlineData("\"hello\"", -32600, "JSON object", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"id\":{\"a\":1}}", -32600, "id must be", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"id\":1.5}", -32600, "integer", "null")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"method\":\"hello\",\"id\":7}", -32600, "jsonrpc", "7")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"a\"}", -32600, "method is missing", "\"a\"")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":42,\"id\":7}", -32600, "method must be", "7")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"change\",\"params\":[\"test0\"],\"id\":7}", -32600, "positional", "7")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"change\",\"params\":\"test0\",\"id\":7}", -32600, "params must be an object", "7")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"pi\\udfffng\",\"id\":2}", -32600, "cannot be read", "null")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"no_such_method\",\"id\":9}", -32601, "no_such_method", "9")]
    public void A_malformed_message_gets_its_error(string message, int code, string detail, string id)
    {
        var envelope = _shape.Read(FrameKind.Text, Encoding.UTF8.GetBytes(message));
        using var document = envelope.Document;

        Assert.NotNull(envelope.Error);
        Assert.Equal(code, envelope.Error.Code);
        Assert.Contains(detail, (string)envelope.Error.Data["details"]!, StringComparison.Ordinal);
        Assert.Equal(id, envelope.Id.ToString());
        Assert.Null(envelope.Method);
    }

    [Fact]
    public void Frames_refused_before_reading_get_invalid_request()
    {
        var tooLarge = _shape.Read(FrameKind.TooLarge, default);
        var binary = _shape.Read(FrameKind.Binary, default);

        Assert.Equal(-32600, tooLarge.Error!.Code);
        Assert.Equal(4096, tooLarge.Error.Data["max_message_bytes"]);
        Assert.Equal(-32600, binary.Error!.Code);
        Assert.Contains("binary", (string)binary.Error.Data["details"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_request_names_its_method_id_and_params()
    {
        var envelope = _shape.Read(FrameKind.Text, "{\"jsonrpc\":\"2.0\",\"method\":\"change\",\"params\":{\"device\":\"test0\"},\"id\":\"x-1\"}"u8.ToArray());
        using var document = envelope.Document;

        Assert.Null(envelope.Error);
        Assert.Equal("change", envelope.Method!.Name);
        Assert.Equal("\"x-1\"", envelope.Id.ToString());
        Assert.Equal("test0", envelope.Params!.Value.GetProperty("device").GetString());
        Assert.False(envelope.IsNotification);
    }

    [Fact]
    public void Without_an_id_it_is_a_notification_and_a_response_from_the_client_is_ignored()
    {
        var notification = _shape.Read(FrameKind.Text, "{\"jsonrpc\":\"2.0\",\"method\":\"hello\",\"params\":null}"u8.ToArray());
        var response = _shape.Read(FrameKind.Text, "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":3}"u8.ToArray());
        notification.Document?.Dispose();
        response.Document?.Dispose();

        Assert.True(notification.IsNotification);
        Assert.True(notification.Id.IsAbsent);
        Assert.Null(notification.Params);
        Assert.True(response.Ignore);
    }
}
