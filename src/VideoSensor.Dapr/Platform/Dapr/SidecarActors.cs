using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// The sidecar's actor API over HTTP (docs.dapr.io/reference/api/actors_api): calling an actor's method, and an
/// active actor reading and changing its own state. What the Dapr.Actors proxy and state manager did, with the JSON
/// of each call given as source-generated type information, so nothing here needs reflection.
/// </summary>
internal sealed class SidecarActors(DaprSidecar sidecar)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>
    /// <c>PUT /v1.0/actors/{type}/{id}/method/{method}</c> with <paramref name="request"/> as the JSON body; the answer
    /// is the method's result. The sidecar places the actor (on this app or another) and runs its calls one at a time.
    /// </summary>
    /// <exception cref="SidecarApiException">The sidecar answered with an error (its <c>errorCode</c> when it gave one).</exception>
    /// <exception cref="HttpRequestException">The sidecar's HTTP API does not answer.</exception>
    public async Task<TResponse> InvokeAsync<TRequest, TResponse>(
        string actorType, string actorId, string method, TRequest request,
        JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Put, $"{ActorPath(actorType, actorId)}/method/{Uri.EscapeDataString(method)}")
        {
            Content = JsonBody(JsonSerializer.SerializeToUtf8Bytes(request, requestType)),
        };
        using var response = await sidecar.Http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, responseType)
            ?? throw new SidecarApiException(response.StatusCode, null, $"actor method {method} answered null");
    }

    /// <summary><c>GET /v1.0/actors/{type}/{id}/state/{key}</c>: the value, or default when the key is absent (204).</summary>
    public async Task<(bool Found, T? Value)> TryGetStateAsync<T>(string actorType, string actorId, string key, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await sidecar.Http.GetAsync($"{ActorPath(actorType, actorId)}/state/{Uri.EscapeDataString(key)}", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NoContent || body.Length == 0
            ? (false, default)
            : (true, JsonSerializer.Deserialize(body, type));
    }

    /// <summary>Upserts one key (<c>PUT /v1.0/actors/{type}/{id}/state</c>, a transaction of one operation).</summary>
    public Task SetStateAsync<T>(string actorType, string actorId, string key, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        TransactAsync(actorType, actorId, new ActorStateOperation("upsert", new ActorStateRequest(key, JsonSerializer.SerializeToElement(value, type))), cancellationToken);

    /// <summary>Deletes one key (a transaction of one operation); deleting an absent key is not an error.</summary>
    public Task RemoveStateAsync(string actorType, string actorId, string key, CancellationToken cancellationToken) =>
        TransactAsync(actorType, actorId, new ActorStateOperation("delete", new ActorStateRequest(key, null)), cancellationToken);

    private async Task TransactAsync(string actorType, string actorId, ActorStateOperation operation, CancellationToken cancellationToken)
    {
        using var content = JsonBody(JsonSerializer.SerializeToUtf8Bytes([operation], SidecarJson.Default.ActorStateOperationArray));
        using var response = await sidecar.Http.PutAsync($"{ActorPath(actorType, actorId)}/state", content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static string ActorPath(string actorType, string actorId) => $"v1.0/actors/{Uri.EscapeDataString(actorType)}/{Uri.EscapeDataString(actorId)}";

    private static ByteArrayContent JsonBody(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>An error answer as an exception carrying daprd's <c>{errorCode, message}</c> when the body holds one.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        SidecarError? error = null;
        try
        {
            error = body.Length > 0 ? JsonSerializer.Deserialize(body, SidecarJson.Default.SidecarError) : null;
        }
        catch (JsonException)
        {
            // Not daprd's error shape: the status code says enough.
        }

        throw new SidecarApiException(response.StatusCode, error?.ErrorCode is { Length: > 0 } code ? code : null, error?.Message ?? "");
    }
}

/// <summary>The sidecar's HTTP API answered with an error status (and, from daprd, an error code such as ERR_ACTOR_INSTANCE_MISSING).</summary>
internal sealed class SidecarApiException(HttpStatusCode status, string? errorCode, string message)
    : Exception($"the sidecar answered {(int)status}{(errorCode is null ? "" : " " + errorCode)}{(message.Length == 0 ? "" : ": " + message)}")
{
    public HttpStatusCode Status { get; } = status;

    public string? ErrorCode { get; } = errorCode;
}
