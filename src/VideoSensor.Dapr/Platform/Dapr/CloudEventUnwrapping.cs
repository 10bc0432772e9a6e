using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Unwraps the structured CloudEvent a sidecar delivers (<c>application/cloudevents+json</c>, any charset) so the
/// command route reads only its data, as Dapr.AspNetCore's CloudEvents middleware did (that one reads the event with
/// reflection-based JSON, which the Native AOT build does not have): the body becomes <c>data</c> (a JSON value as JSON,
/// a JSON string of a non-JSON content type as its text) or <c>data_base64</c> decoded, the content type the event's
/// <c>datacontenttype</c> (application/json when absent, charset dropped), and the chosen attributes come as
/// <c>Cloudevent.&lt;name&gt;</c> request headers. Other content types pass through untouched.
/// </summary>
internal static class CloudEventUnwrapping
{
    public const string ContentType = "application/cloudevents+json";
    private const string HeaderPrefix = "Cloudevent.";

    /// <exception cref="JsonException">The body is not a JSON object, or it has both <c>data</c> and <c>data_base64</c>.</exception>
    /// <exception cref="InvalidDataException">The charset is not one this runtime knows, or <c>data_base64</c> is not base64.</exception>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, IReadOnlyCollection<string> forwardedAttributes)
    {
        var request = context.Request;
        if (!IsStructured(request.ContentType, out var encoding))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        using var envelope = await ParseAsync(request.Body, encoding, context.RequestAborted).ConfigureAwait(false);
        var root = envelope.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("a CloudEvent is a JSON object");
        }

        var hasData = root.TryGetProperty("data", out var data);
        var hasBinary = root.TryGetProperty("data_base64", out var binary);
        byte[] body;
        string? contentType;
        if (hasData && hasBinary)
        {
            throw new JsonException("a CloudEvent has either data or data_base64, not both");
        }
        else if (hasData)
        {
            contentType = DataContentType(root, out var isJson);
            body = isJson || data.ValueKind != JsonValueKind.String ? Write(data) : Encoding.UTF8.GetBytes(data.GetString() ?? "");
        }
        else if (hasBinary)
        {
            contentType = DataContentType(root, out _);
            body = binary.ValueKind == JsonValueKind.String && binary.TryGetBytesFromBase64(out var decoded)
                ? decoded
                : throw new InvalidDataException("data_base64 is not base64");
        }
        else
        {
            contentType = null;
            body = [];
        }

        foreach (var attribute in root.EnumerateObject())
        {
            if (attribute.Name is not ("data" or "data_base64") && forwardedAttributes.Contains(attribute.Name, StringComparer.OrdinalIgnoreCase))
            {
                var value = attribute.Value.ValueKind == JsonValueKind.String ? attribute.Value.GetString() : attribute.Value.GetRawText();
                request.Headers.TryAdd(HeaderPrefix + attribute.Name.ToLowerInvariant(), value);
            }
        }

        var originalBody = request.Body;
        var originalType = request.ContentType;
        await using var unwrapped = new MemoryStream(body, writable: false);
        try
        {
            request.Body = unwrapped;
            request.ContentType = contentType;
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            request.Body = originalBody;
            request.ContentType = originalType;
        }
    }

    private static bool IsStructured(string? contentType, out Encoding encoding)
    {
        encoding = Encoding.UTF8;
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
            || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || !parsed.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (parsed.Charset.HasValue && !parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                encoding = Encoding.GetEncoding(parsed.Charset.Value!);
            }
            catch (ArgumentException)
            {
                throw new InvalidDataException($"unknown charset {parsed.Charset.Value}");
            }
        }

        return true;
    }

    private static async Task<JsonDocument> ParseAsync(Stream body, Encoding encoding, CancellationToken cancellationToken)
    {
        if (encoding.CodePage == Encoding.UTF8.CodePage)
        {
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        using var reader = new StreamReader(body, encoding, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return JsonDocument.Parse(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The event's <c>datacontenttype</c> without its charset (the unwrapped body is UTF-8), or application/json.</summary>
    private static string DataContentType(JsonElement root, out bool isJson)
    {
        foreach (var attribute in root.EnumerateObject())
        {
            if (attribute.Name.Equals("datacontenttype", StringComparison.OrdinalIgnoreCase)
                && attribute.Value.ValueKind == JsonValueKind.String
                && MediaTypeHeaderValue.TryParse(attribute.Value.GetString(), out var parsed))
            {
                isJson = parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                    || parsed.Suffix.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
                parsed.Charset = StringSegment.Empty;
                return parsed.ToString();
            }
        }

        isJson = true;
        return "application/json";
    }

    private static byte[] Write(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
