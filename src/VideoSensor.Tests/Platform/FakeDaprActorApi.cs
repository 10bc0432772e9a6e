using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// The HTTP actor API of a fake sidecar, as daprd serves it (docs.dapr.io/reference/api/actors_api) and as
/// the service's actor host and actor calls (and the real Dapr.Actors proxy) use it:
/// <list type="bullet">
/// <item><c>/v1.0/actors/{type}/{id}/method/{method}</c>: placed on one app of the shared
/// <see cref="FakeActorPlacement"/>, run under the actor's turn lock and forwarded as
/// <c>PUT /actors/{type}/{id}/method/{method}</c> to that app; an app that does not answer leaves the
/// placement and the call goes to another host.</item>
/// <item><c>GET /v1.0/actors/{type}/{id}/state/{key}</c>: 200 with the raw JSON value, 204 when absent.</item>
/// <item><c>PUT|POST /v1.0/actors/{type}/{id}/state</c>: a transaction, a JSON array of
/// <c>{operation: upsert|delete, request: {key, value}}</c>, answered 204.</item>
/// </list>
/// State calls are accepted only for actors active on this sidecar's app (daprd answers 400
/// ERR_ACTOR_INSTANCE_MISSING otherwise). The app is registered from its <c>GET /dapr/config</c> answer
/// (<c>entities</c>: the actor types it hosts). Every contract breach is recorded in
/// <see cref="FakeActorPlacement.Violations"/> and answered 400 as daprd would.
/// </summary>
internal static class FakeDaprActorApi
{
    private static readonly HttpClient App = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static void Map(WebApplication app, FakeDaprSidecar sidecar)
    {
        var placement = sidecar.Placement!;
        app.MapMethods("/v1.0/actors/{type}/{id}/method/{method}", ["GET", "POST", "PUT", "DELETE"], (HttpContext context, string type, string id, string method) =>
            InvokeAsync(context, sidecar, placement, type, id, method));
        app.MapGet("/v1.0/actors/{type}/{id}/state/{key}", (HttpContext context, string type, string id, string key) =>
        {
            if (!Hosted(sidecar, placement, type, id))
            {
                return Error(HttpStatusCode.BadRequest, "ERR_ACTOR_INSTANCE_MISSING", "actor instance is missing");
            }

            return placement.State.TryGetValue(FakeActorPlacement.StateKey(sidecar.State.AppId, type, id, key), out var raw)
                ? Results.Text(raw, "application/json")
                : Results.NoContent();
        });
        app.MapMethods("/v1.0/actors/{type}/{id}/state", ["PUT", "POST"], async (HttpContext context, string type, string id) =>
        {
            if (!Hosted(sidecar, placement, type, id))
            {
                return Error(HttpStatusCode.BadRequest, "ERR_ACTOR_INSTANCE_MISSING", "actor instance is missing");
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var problem = TransactionProblem(body.RootElement);
            if (problem is not null)
            {
                placement.Violations.Enqueue($"state transaction for {type}/{id}: {problem}");
                return Error(HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", problem);
            }

            foreach (var operation in body.RootElement.EnumerateArray())
            {
                var request = operation.GetProperty("request");
                var key = FakeActorPlacement.StateKey(sidecar.State.AppId, type, id, request.GetProperty("key").GetString()!);
                if (operation.GetProperty("operation").GetString() == "upsert")
                {
                    placement.State[key] = request.GetProperty("value").GetRawText();
                }
                else
                {
                    placement.State.TryRemove(key, out _);
                }
            }

            return Results.NoContent();
        });
    }

    /// <summary>Reads the app's actor configuration and joins the placement with the types it hosts.</summary>
    public static async Task RegisterAppAsync(FakeDaprSidecar sidecar, CancellationToken cancellationToken)
    {
        var placement = sidecar.Placement!;
        using var response = await App.GetAsync(new Uri(sidecar.AppUri!, "dapr/config"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            placement.Violations.Enqueue($"GET /dapr/config answered {(int)response.StatusCode} {response.Content.Headers.ContentType}");
            return;
        }

        using var config = JsonDocument.Parse(text);
        if (!config.RootElement.TryGetProperty("entities", out var entities) || entities.ValueKind != JsonValueKind.Array
            || entities.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            placement.Violations.Enqueue($"GET /dapr/config has no 'entities' string array: {text}");
            return;
        }

        placement.Register(sidecar.Name, sidecar.AppUri!, entities.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal));
    }

    private static async Task<IResult> InvokeAsync(HttpContext context, FakeDaprSidecar sidecar, FakeActorPlacement placement, string type, string id, string method)
    {
        var cancellationToken = context.RequestAborted;
        if (sidecar.AppUri is not null && !placement.IsRegistered(sidecar.Name))
        {
            await RegisterAppAsync(sidecar, cancellationToken);
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        var payload = buffer.ToArray();
        var contentType = context.Request.ContentType;
        if (payload.Length > 0 && !IsJson(payload))
        {
            placement.Violations.Enqueue($"actor method {type}/{id}/{method}: body is not JSON");
        }

        // One turn at a time per actor, wherever the call comes from (Dapr's turn-based concurrency).
        var turn = placement.Turn(type, id);
        await turn.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var (host, previous) = placement.Place(type, id);
                if (host is null)
                {
                    return Error(HttpStatusCode.InternalServerError, "ERR_ACTOR_INVOKE_METHOD", $"failed to lookup actor: did not find address for actor {type}/{id}");
                }

                if (previous is not null)
                {
                    await DeactivateAsync(placement, previous, type, id, cancellationToken);
                }

                using var forward = new HttpRequestMessage(HttpMethod.Put, new Uri(host.App, $"actors/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}/method/{Uri.EscapeDataString(method)}"));
                forward.Content = new ByteArrayContent(payload);
                if (contentType is not null)
                {
                    forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }

                HttpResponseMessage answer;
                try
                {
                    answer = await App.SendAsync(forward, cancellationToken);
                }
                catch (HttpRequestException)
                {
                    // The app is gone: placement drops it and the actor is activated elsewhere.
                    placement.Unregister(host.Name);
                    continue;
                }

                using (answer)
                {
                    var body = await answer.Content.ReadAsByteArrayAsync(cancellationToken);
                    placement.Calls.Enqueue(new ActorCall(host.Name, type, id, method, (int)answer.StatusCode));
                    context.Response.StatusCode = (int)answer.StatusCode;
                    context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/json";
                    await context.Response.Body.WriteAsync(body, cancellationToken);
                    return Results.Empty;
                }
            }
        }
        finally
        {
            turn.Release();
        }
    }

    private static async Task DeactivateAsync(FakeActorPlacement placement, FakeActorPlacement.PlacedHost host, string type, string id, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await App.DeleteAsync(new Uri(host.App, $"actors/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}"), cancellationToken);
            placement.Deactivations.Enqueue((host.Name, type, id));
        }
        catch (HttpRequestException)
        {
            placement.Unregister(host.Name);
        }
    }

    private static bool Hosted(FakeDaprSidecar sidecar, FakeActorPlacement placement, string type, string id) => placement.HostOf(type, id) == sidecar.Name;

    /// <summary>What daprd would refuse in a state transaction body, or null.</summary>
    private static string? TransactionProblem(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            return "body must be a JSON array of operations";
        }

        foreach (var operation in body.EnumerateArray())
        {
            if (operation.ValueKind != JsonValueKind.Object
                || !operation.TryGetProperty("operation", out var kind) || kind.ValueKind != JsonValueKind.String
                || !operation.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object
                || !request.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || key.GetString()!.Length == 0)
            {
                return $"operation must be {{operation, request: {{key, ...}}}}: {operation.GetRawText()}";
            }

            switch (kind.GetString())
            {
                case "upsert" when !request.TryGetProperty("value", out _):
                    return $"upsert without value: {operation.GetRawText()}";
                case "upsert":
                case "delete":
                    break;
                default:
                    return $"operation type {kind.GetString()} is not supported";
            }
        }

        return null;
    }

    private static bool IsJson(byte[] payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IResult Error(HttpStatusCode status, string code, string message) =>
        Results.Json(new { errorCode = code, message }, statusCode: (int)status);
}
