using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Platform.Commands;
using Microsoft.Extensions.Logging;
using VideoSensor.Events;
using VideoSensor.FeedOwnership;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// The app side of Dapr pub/sub: <c>GET /dapr/subscribe</c> (programmatic subscription to the app's commands
/// topic and to this instance's own one, with the dead-letter topic) and <c>POST /dapr/commands</c>, which runs the
/// command and answers the sidecar SUCCESS, RETRY (a dependency failed) or DROP (invalid or unsupported: Dapr moves
/// it to the dead-letter topic). Every outcome is also published as <c>command.result</c>. <see cref="CloudEventUnwrapping"/>
/// unwraps the envelope (the command is its <c>data</c>; its id, source and type come as <c>Cloudevent.*</c> headers);
/// a body it cannot read is dropped, never retried.
/// The instances of one app id share a consumer group on the app's topic, so a command for an RTSP feed that
/// another instance ingests can land here: it is passed on, with the same CloudEvent id, source and type, to the
/// owner's own topic and carried out there. A command from an instance topic is never passed on again.
/// </summary>
internal static partial class DaprCommandEndpoint
{
    public const string Route = "/dapr/commands";
    public const string InstanceRoute = "/dapr/commands/instance";
    public const string SubscribeRoute = "/dapr/subscribe";
    private const int MaxBodyBytes = 64 * 1024;
    private const string IdHeader = "Cloudevent.id";
    private static readonly string[] ForwardedAttributes = ["id", "source", "type"];
    private static readonly object Unwrapped = new();

    /// <summary>
    /// Before the command routes: only the sidecar may call, the body is at most 64 KiB, and the CloudEvent is
    /// unwrapped. What cannot be unwrapped (not JSON, not an object) is a DROP, as any unreadable command.
    /// </summary>
    public static void UseDaprCommandEnvelopes(this IApplicationBuilder app) => app.UseWhen(
        context => context.Request.Path.StartsWithSegments(Route, StringComparison.Ordinal),
        branch => branch
            .Use(GuardAsync)
            .Use((context, next) => CloudEventUnwrapping.InvokeAsync(context, c =>
            {
                c.Items[Unwrapped] = true;
                return next(c);
            }, ForwardedAttributes)));

    public static void MapDaprCommands(this IEndpointRouteBuilder app)
    {
        var sidecar = app.ServiceProvider.GetRequiredService<DaprSidecar>();
        var options = app.ServiceProvider.GetRequiredService<IOptions<DaprOptions>>().Value;
        var subscriptions = Subscriptions(options, sidecar);
        app.MapGet(SubscribeRoute, context => TypedResults.Json(subscriptions, SidecarJson.Default.DaprSubscriptionArray).ExecuteAsync(context));
        foreach (var subscription in subscriptions)
        {
            var mayPassOn = subscription.Route == Route.TrimStart('/') && options.InstanceCommandsTopic.Length > 0;
            app.MapPost("/" + subscription.Route, async context =>
            {
                var reply = await HandleAsync(context, mayPassOn, context.RequestAborted).ConfigureAwait(false);
                await reply.ExecuteAsync(context).ConfigureAwait(false);
            });
        }
    }

    /// <summary>
    /// What <c>GET /dapr/subscribe</c> declares: the app's commands topic on <see cref="Route"/> and, when instance topics
    /// are on and differ from it, this instance's topic on <see cref="InstanceRoute"/>, each with the dead-letter topic.
    /// The same JSON Dapr.AspNetCore's subscribe handler wrote for these routes (the route without its leading slash).
    /// </summary>
    internal static DaprSubscription[] Subscriptions(DaprOptions options, DaprSidecar sidecar)
    {
        var topic = DaprTopics.Commands(options, sidecar);
        if (topic.Length == 0)
        {
            return [];
        }

        var deadLetter = DaprTopics.DeadLetter(options, sidecar) is { Length: > 0 } dead ? dead : null;
        var instanceTopic = options.InstanceCommandsTopic.Length > 0 ? DaprTopics.InstanceCommands(options, sidecar) : "";
        var app = new DaprSubscription(topic, options.PubSubName, Route.TrimStart('/'), deadLetter);
        return instanceTopic.Length > 0 && instanceTopic != topic
            ? [app, new DaprSubscription(instanceTopic, options.PubSubName, InstanceRoute.TrimStart('/'), deadLetter)]
            : [app];
    }

    private static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        if (!SidecarCaller.IsSidecar(context, context.RequestServices.GetRequiredService<DaprSidecar>()))
        {
            await Reply(CommandReply.Drop("missing or wrong dapr-api-token"), StatusCodes.Status401Unauthorized)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException or BadHttpRequestException
            && !context.Items.ContainsKey(Unwrapped) && !context.Response.HasStarted)
        {
            await NotACommand(ex).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private static IResult Reply(CommandReply reply, int? statusCode = null) => TypedResults.Json(reply, SidecarJson.Default.CommandReply, statusCode: statusCode);

    private static IResult NotACommand(Exception ex) =>
        Reply(CommandReply.Drop($"not a command: {(ex is BadHttpRequestException ? "body too large" : ex.Message)}"));

    private static async Task<IResult> HandleAsync(HttpContext context, bool mayPassOn, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var sidecar = services.GetRequiredService<DaprSidecar>();
        CameraCommand command;
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
            command = Read(context.Request.Headers[IdHeader] is [{ Length: > 0 } id] ? id : Guid.NewGuid().ToString(), body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or BadHttpRequestException)
        {
            return NotACommand(ex);
        }

        if (mayPassOn && command.Device is { } device && services.GetRequiredService<IFeedOwnership>().OtherOwner(device) is { } owner)
        {
            return await PassOnAsync(context, sidecar, command, owner, body, cancellationToken).ConfigureAwait(false);
        }

        var dispatcher = services.GetRequiredService<CameraCommandDispatcher>();
        var publisher = services.GetRequiredService<IPlatformPublisher>();
        var time = services.GetRequiredService<TimeProvider>();
        var result = await dispatcher.DispatchAsync(command, cancellationToken).ConfigureAwait(false);
        var outcome = result.Outcome.ToString().ToLowerInvariant();
        var data = new CommandResultData(command.Id, command.Action, outcome, result.Detail, sidecar.InstanceId)
        {
            ErrorCode = result.ErrorCode,
            Result = result.Data is { ValueKind: JsonValueKind.Object } fields
                ? fields.EnumerateObject().Where(f => f.Name is not ("device" or "timestamp")).ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal)
                : null,
        };
        publisher.Enqueue(new PlatformEvent(DaprTopics.CommandResult, command.Device, data) { Time = time.GetUtcNow() });
        var status = result.Outcome switch
        {
            CommandOutcome.Succeeded => "SUCCESS",
            CommandOutcome.Failed => "RETRY",
            _ => "DROP",
        };
        return Reply(new CommandReply(status, outcome, result.Detail));
    }

    /// <summary>
    /// Publishes the command to the owning instance's topic as the same CloudEvent: the sidecar wraps the command
    /// again and takes the id, source and type the envelope had (its <c>cloudevent.*</c> publish metadata).
    /// </summary>
    private static async Task<IResult> PassOnAsync(HttpContext context, DaprSidecar sidecar, CameraCommand command, string owner, byte[] body, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<DaprOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DaprCommandEndpoint).FullName!);
        var target = DaprTopics.InstanceCommands(options, sidecar, owner);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["cloudevent.id"] = command.Id };
        foreach (var attribute in ForwardedAttributes)
        {
            if (context.Request.Headers[$"Cloudevent.{attribute}"] is [{ Length: > 0 } value])
            {
                metadata[$"cloudevent.{attribute}"] = value;
            }
        }

        try
        {
            using var scope = sidecar.CallScope(cancellationToken);
            await sidecar.Client.PublishByteEventAsync(options.PubSubName, target, body, "application/json", metadata, scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPassOnFailed(logger, command.Id, owner, DaprErrors.Describe(ex));
            return Reply(CommandReply.Retry($"passing the command on to instance {owner} failed"));
        }

        LogPassedOn(logger, command.Id, command.Action, command.Device ?? "-", owner);
        return Reply(new CommandReply("SUCCESS", "passed_on", $"passed on to instance {owner}, which ingests {command.Device}"));
    }

    /// <summary>The body as the middleware left it (the CloudEvent's data); Kestrel enforces the size limit set in <see cref="GuardAsync"/>.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.Length <= MaxBodyBytes ? buffer.ToArray() : throw new InvalidDataException("body too large");
    }

    /// <summary>The command object, or a JSON string holding it (some publishers send the data that way).</summary>
    private static CameraCommand Read(string id, byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind == JsonValueKind.String)
        {
            using var inner = JsonDocument.Parse(document.RootElement.GetString() ?? "");
            return Parse(id, inner.RootElement);
        }

        return Parse(id, document.RootElement);
    }

    private static CameraCommand Parse(string id, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException("the command needs a string 'action'");
        }

        var device = body.TryGetProperty("device", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var parameters = body.TryGetProperty("params", out var p) ? p.Clone() : default;
        return new CameraCommand(id, action.GetString()!, device, parameters);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Id} {Action} on {Device} passed on to instance {Owner}, which ingests the feed")]
    private static partial void LogPassedOn(ILogger logger, string id, string action, string device, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Id}: passing it on to instance {Owner} failed ({Reason}); the sidecar redelivers it")]
    private static partial void LogPassOnFailed(ILogger logger, string id, string owner, string reason);
}
