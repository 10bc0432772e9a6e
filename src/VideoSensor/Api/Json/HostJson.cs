using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using VideoSensor.Contracts;

namespace VideoSensor.Api.Json;

/// <summary>
/// The host's JSON, with the metadata of every type it writes or reads generated at compile time
/// (<see cref="HostJsonContext"/>), so it works in a Native AOT build and a call does no reflection.
/// </summary>
internal static class HostJson
{
    /// <summary>
    /// The API's conventions (<see cref="ApiJson"/>: web defaults, snake_case, nulls left out, strict numbers, depth 32)
    /// over the generated metadata: JSON-RPC results, errors and notifications, and the REST answers that use them.
    /// </summary>
    public static JsonSerializerOptions Api => HostJsonContext.Default.Options;

    /// <summary>The metadata of <typeparamref name="T"/> under <see cref="Api"/>; throws when the type is not in the context.</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Api.GetTypeInfo(typeof(T));

    /// <summary>A request body as one JSON value, any shape (the caller reads it field by field); bad JSON throws <see cref="JsonException"/>.</summary>
    public static async Task<JsonElement> ReadElementAsync(Stream body, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        return document.RootElement.Clone();
    }

    /// <summary>ASP.NET Core's JSON as <see cref="ConfigureHttp"/> sets it, for the handlers that pick a status code themselves.</summary>
    public static JsonSerializerOptions Http { get; } = CreateHttp();

    /// <summary>The metadata of <typeparamref name="T"/> under <see cref="Http"/>.</summary>
    public static JsonTypeInfo<T> HttpInfo<T>() => (JsonTypeInfo<T>)Http.GetTypeInfo(typeof(T));

    /// <summary>
    /// What ASP.NET Core's own JSON (minimal API bodies, <c>TypedResults.Ok</c>, problem details) uses here: web defaults
    /// with snake_case names — nulls are written — over the same generated metadata.
    /// </summary>
    public static void ConfigureHttp(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.TypeInfoResolverChain.Insert(0, HostJsonContext.Default);
    }

    /// <summary>
    /// ASP.NET Core's default (<c>JsonOptions</c>: web defaults and the relaxed escaping, as what it writes goes straight
    /// into a response), configured as <see cref="ConfigureHttp"/> configures the service's.
    /// </summary>
    private static JsonSerializerOptions CreateHttp()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        ConfigureHttp(options);
        options.MakeReadOnly();
        return options;
    }
}
