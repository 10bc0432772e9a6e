using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VideoSensor.Platform.Dapr;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// The CloudEvent unwrapping in front of the command routes, on the cases daprd and other publishers send: what the
/// route then reads (body, content type, <c>Cloudevent.*</c> headers) and what is refused as not a CloudEvent.
/// </summary>
public sealed class CloudEventUnwrappingTests
{
    private static readonly string[] Forwarded = ["id", "source", "type"];

    [Fact]
    public async Task A_structured_event_becomes_its_JSON_data_with_the_chosen_attributes_as_headers()
    {
        var seen = await UnwrapAsync("""{"specversion":"1.0","id":"c-1","source":"/agg","type":"io.x","subject":"cam0","datacontenttype":"application/json; charset=utf-8","data":{ "action" : "snapshot" }}""");

        Assert.Equal("""{"action":"snapshot"}""", seen.Body);
        Assert.Equal("application/json", seen.ContentType);
        Assert.Equal(("c-1", "/agg", "io.x"), (seen.Headers["Cloudevent.id"], seen.Headers["Cloudevent.source"], seen.Headers["Cloudevent.type"]));
        Assert.False(seen.Headers.ContainsKey("Cloudevent.subject"), "only the chosen attributes are forwarded");
        Assert.False(seen.Headers.ContainsKey("Cloudevent.data"));
    }

    [Fact]
    public async Task Text_data_is_the_string_itself_binary_data_is_decoded_and_no_data_is_an_empty_body()
    {
        var text = await UnwrapAsync("""{"id":"t","datacontenttype":"text/plain","data":"hello \"you\""}""");
        Assert.Equal(("hello \"you\"", "text/plain"), (text.Body, text.ContentType));

        // A JSON string under a JSON content type stays JSON (the command reader accepts a string holding the command).
        var quoted = await UnwrapAsync("""{"id":"q","data":"{\"action\":\"rescan\"}"}""");
        Assert.Equal((@"""{\u0022action\u0022:\u0022rescan\u0022}""", "application/json"), (quoted.Body, quoted.ContentType));

        var binary = await UnwrapAsync($$"""{"id":"b","datacontenttype":"application/octet-stream","data_base64":"{{Convert.ToBase64String("raw"u8)}}"}""");
        Assert.Equal(("raw", "application/octet-stream"), (binary.Body, binary.ContentType));

        var none = await UnwrapAsync("""{"id":"n"}""");
        Assert.Equal(("", null), (none.Body, none.ContentType));
    }

    [Fact]
    public async Task Other_content_types_pass_through_untouched()
    {
        var seen = await UnwrapAsync("""{"action":"rescan"}""", "application/json");

        Assert.Equal(("""{"action":"rescan"}""", "application/json"), (seen.Body, seen.ContentType));
        Assert.Empty(seen.Headers);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{"id":"x","data":{},"data_base64":"AA=="}""")]
    public async Task What_is_not_one_CloudEvent_object_is_refused_before_the_route_runs(string body)
    {
        var reached = false;
        await Assert.ThrowsAnyAsync<JsonException>(() => CloudEventUnwrapping.InvokeAsync(Context(body, CloudEventUnwrapping.ContentType), _ =>
        {
            reached = true;
            return Task.CompletedTask;
        }, Forwarded));
        Assert.False(reached);
    }

    [Fact]
    public async Task Base64_data_that_is_not_base64_is_refused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => UnwrapAsync("""{"id":"x","data_base64":"not base64!"}"""));
    }

    private sealed record Seen(string Body, string? ContentType, Dictionary<string, string> Headers);

    private static async Task<Seen> UnwrapAsync(string body, string contentType = CloudEventUnwrapping.ContentType)
    {
        Seen? seen = null;
        var context = Context(body, contentType);
        await CloudEventUnwrapping.InvokeAsync(context, async c =>
        {
            using var reader = new StreamReader(c.Request.Body, Encoding.UTF8);
            seen = new Seen(
                await reader.ReadToEndAsync(),
                c.Request.ContentType,
                c.Request.Headers.Where(h => h.Key.StartsWith("Cloudevent.", StringComparison.Ordinal)).ToDictionary(h => h.Key, h => h.Value.ToString()));
        }, Forwarded);
        return seen ?? throw new InvalidOperationException("the route never ran");
    }

    private static DefaultHttpContext Context(string body, string contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return context;
    }
}
