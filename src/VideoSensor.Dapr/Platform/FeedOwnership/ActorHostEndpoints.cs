using System.Text.Json;
using Microsoft.Extensions.Logging;
using VideoSensor.Platform.Dapr;

namespace VideoSensor.Platform.FeedOwnership;

/// <summary>
/// The app side of Dapr's actor protocol for the <see cref="RtspFeedOwnerActor"/>, the endpoints the sidecar calls
/// (docs.dapr.io/reference/api/actors_api, "Dapr calling to user service code"):
/// <list type="bullet">
/// <item><c>GET /dapr/config</c>: the hosted actor types, <c>{"entities":["RtspFeedOwner"],"reentrancy":{"enabled":false}}</c>
/// (what the Dapr.Actors runtime answered with its defaults);</item>
/// <item><c>PUT /actors/{type}/{id}/method/{method}</c>: a call, JSON body in, JSON result out;</item>
/// <item><c>DELETE /actors/{type}/{id}</c>: deactivation (nothing is held between calls, so nothing to drop);</item>
/// <item><c>GET /healthz</c>: the app health probe, <c>Healthy</c>.</item>
/// </list>
/// The Dapr.Actors runtime served these before; it finds methods by reflection, builds dispatchers with
/// Reflection.Emit and <c>dynamic</c> and reads remoting headers with DataContract serialization, none of which
/// the Native AOT build has. Remoting calls (a typed proxy's <c>X-DaprRequestHeader</c>) are refused with 400: callers use
/// the non-remoting form, as the sensor itself and any SDK's untyped proxy do. Only the sidecar may call.
/// </summary>
internal static partial class ActorHostEndpoints
{
    private const string RemotingHeader = "X-DaprRequestHeader";
    private static readonly ActorRuntimeConfig Config = new([RtspFeedOwnerActor.TypeName], new ActorReentrancyConfig(false));

    public static void MapActorHost(this IEndpointRouteBuilder app, DaprSidecar sidecar)
    {
        IEndpointConventionBuilder[] endpoints =
        [
            app.MapGet("/dapr/config", context => TypedResults.Json(Config, SidecarJson.Default.ActorRuntimeConfig).ExecuteAsync(context)),
            app.MapPut("/actors/{actorType}/{actorId}/method/{method}", InvokeAsync),
            app.MapDelete("/actors/{actorType}/{actorId}", context => (IsHosted(context) ? Results.Ok() : UnknownType(context)).ExecuteAsync(context)),
            app.MapGet("/healthz", context => Results.Text("Healthy", "text/plain").ExecuteAsync(context)),
        ];
        foreach (var endpoint in endpoints)
        {
            endpoint.Add(builder =>
            {
                var next = builder.RequestDelegate!;
                builder.RequestDelegate = context => SidecarCaller.IsSidecar(context, sidecar)
                    ? next(context)
                    : Results.Problem("missing or wrong dapr-api-token", statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            });
        }
    }

    private static async Task InvokeAsync(HttpContext context)
    {
        if (!IsHosted(context))
        {
            await UnknownType(context).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (context.Request.Headers.ContainsKey(RemotingHeader))
        {
            await Results.Problem("actor remoting calls are not served; call the method with its JSON argument as the body", statusCode: StatusCodes.Status400BadRequest)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var services = context.RequestServices;
        var id = (string)context.Request.RouteValues["actorId"]!;
        var method = (string)context.Request.RouteValues["method"]!;
        var ct = context.RequestAborted;
        var actor = new RtspFeedOwnerActor(id, services.GetRequiredService<SidecarActors>(), services.GetRequiredService<TimeProvider>(), ct);
        Func<FeedClaim, Task<FeedLease>>? call = method switch
        {
            nameof(IRtspFeedOwner.Claim) => actor.Claim,
            nameof(IRtspFeedOwner.Release) => actor.Release,
            _ => null,
        };
        if (call is null)
        {
            await Results.Problem($"actor type {RtspFeedOwnerActor.TypeName} has no method {method}", statusCode: StatusCodes.Status404NotFound)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        FeedClaim? claim;
        try
        {
            claim = await JsonSerializer.DeserializeAsync(context.Request.Body, FeedOwnerJson.Default.FeedClaim, ct).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await Results.Problem($"the argument of {method} is not a claim: {ex.Message}", statusCode: StatusCodes.Status400BadRequest)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (claim?.InstanceId is null)
        {
            await Results.Problem($"the argument of {method} is not a claim: instance_id is required", statusCode: StatusCodes.Status400BadRequest)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        FeedLease lease;
        try
        {
            lease = await call(claim).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SidecarApiException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // The actor's state could not be read or written: the caller's sidecar reports ERR_ACTOR_INVOKE_METHOD.
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RtspFeedOwnerActor).FullName!);
            LogStateFailed(logger, method, id, DaprErrors.Describe(ex));
            await Results.Problem($"the actor state could not be read or written ({DaprErrors.Describe(ex)})", statusCode: StatusCodes.Status500InternalServerError)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await TypedResults.Json(lease, FeedOwnerJson.Default.FeedLease).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static bool IsHosted(HttpContext context) => (string?)context.Request.RouteValues["actorType"] == RtspFeedOwnerActor.TypeName;

    private static IResult UnknownType(HttpContext context) =>
        Results.Problem($"this app hosts no actor type {context.Request.RouteValues["actorType"]}", statusCode: StatusCodes.Status404NotFound);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RtspFeedOwner {Method} on {Id}: the actor state failed ({Reason})")]
    private static partial void LogStateFailed(ILogger logger, string method, string id, string reason);
}
