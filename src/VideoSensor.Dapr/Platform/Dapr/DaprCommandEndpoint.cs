using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor.Platform.Commands;
using Microsoft.Extensions.Logging;
using VideoSensor.Events;
using VideoSensor.Platform.FeedOwnership;
using VideoSensor.FeedOwnership;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// The app side of Dapr pub/sub: <c>GET /dapr/subscribe</c> (programmatic subscription to the app's commands
/// topic and to this instance's own one, with the dead-letter topic) and <c>POST /dapr/commands</c>, which takes
/// the CloudEvent, runs the command and answers the sidecar SUCCESS, RETRY (a dependency failed) or DROP (invalid
/// or unsupported: Dapr moves it to the dead-letter topic). Every outcome is also published as <c>command.result</c>.
/// The instances of one app id share a consumer group on the app's topic, so a command for an RTSP feed that
/// another instance ingests can land here: it is passed on, unchanged (same CloudEvent id), to the owner's own
/// topic and carried out there. A command from an instance topic is never passed on again.
/// </summary>
internal static partial class DaprCommandEndpoint
{
    public const string Route = "/dapr/commands";
    public const string InstanceRoute = "/dapr/commands/instance";
    private const int MaxBodyBytes = 64 * 1024;

    public static void MapDaprCommands(this IEndpointRouteBuilder app)
    {
        var sidecar = app.ServiceProvider.GetRequiredService<DaprSidecar>();
        var options = app.ServiceProvider.GetRequiredService<IOptions<DaprOptions>>().Value;
        var topic = DaprTopics.Commands(options, sidecar);
        app.MapSubscribeHandler();
        if (topic.Length == 0)
        {
            return;
        }

        var deadLetter = DaprTopics.DeadLetter(options, sidecar) is { Length: > 0 } dead ? dead : null;
        var instanceTopic = options.InstanceCommandsTopic.Length > 0 ? DaprTopics.InstanceCommands(options, sidecar) : "";
        app.MapPost(Route, (HttpContext context, CancellationToken ct) => HandleAsync(context, instanceTopic.Length > 0, ct))
            .WithTopic(new TopicOptions { PubsubName = options.PubSubName, Name = topic, DeadLetterTopic = deadLetter });
        if (instanceTopic.Length > 0 && instanceTopic != topic)
        {
            app.MapPost(InstanceRoute, (HttpContext context, CancellationToken ct) => HandleAsync(context, false, ct))
                .WithTopic(new TopicOptions { PubsubName = options.PubSubName, Name = instanceTopic, DeadLetterTopic = deadLetter });
        }
    }

    private static async Task<IResult> HandleAsync(HttpContext context, bool mayPassOn, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var sidecar = services.GetRequiredService<DaprSidecar>();
        var authorized = SidecarCaller.IsSidecar(context, sidecar);
        if (!authorized)
        {
            return Results.Json(new { status = "DROP", detail = "missing or wrong dapr-api-token" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        CameraCommand command;
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
            command = Read(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return Results.Json(new { status = "DROP", detail = $"not a command: {ex.Message}" });
        }

        if (mayPassOn && command.Device is { } device && services.GetRequiredService<IFeedOwnership>().OtherOwner(device) is { } owner)
        {
            return await PassOnAsync(services, sidecar, command, owner, body, cancellationToken).ConfigureAwait(false);
        }

        var dispatcher = services.GetRequiredService<CameraCommandDispatcher>();
        var publisher = services.GetRequiredService<IPlatformPublisher>();
        var time = services.GetRequiredService<TimeProvider>();
        var result = await dispatcher.DispatchAsync(command, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object?>
        {
            ["command_id"] = command.Id,
            ["action"] = command.Action,
            ["outcome"] = result.Outcome.ToString().ToLowerInvariant(),
            ["detail"] = result.Detail,
            ["instance_id"] = sidecar.InstanceId,
        };
        if (result.ErrorCode is { } code)
        {
            data["error_code"] = code;
        }

        foreach (var (k, v) in result.Data ?? new Dictionary<string, object?>())
        {
            data[k] = v;
        }

        publisher.Enqueue(new PlatformEvent(DaprTopics.CommandResult, command.Device, data) { Time = time.GetUtcNow() });
        var status = result.Outcome switch
        {
            CommandOutcome.Succeeded => "SUCCESS",
            CommandOutcome.Failed => "RETRY",
            _ => "DROP",
        };
        return Results.Json(new { status, outcome = data["outcome"], detail = result.Detail });
    }

    /// <summary>Publishes the command as it came (same CloudEvent, same id) to the owning instance's topic.</summary>
    private static async Task<IResult> PassOnAsync(IServiceProvider services, DaprSidecar sidecar, CameraCommand command, string owner, byte[] body, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<DaprOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DaprCommandEndpoint).FullName!);
        var target = DaprTopics.InstanceCommands(options, sidecar, owner);
        try
        {
            using var scope = sidecar.CallScope(cancellationToken);
            var contentType = IsCloudEvent(body) ? CloudEventEnvelope.ContentType : "application/json";
            await sidecar.Client.PublishByteEventAsync(options.PubSubName, target, body, contentType, cancellationToken: scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPassOnFailed(logger, command.Id, owner, DaprErrors.Describe(ex));
            return Results.Json(new { status = "RETRY", detail = $"passing the command on to instance {owner} failed" });
        }

        LogPassedOn(logger, command.Id, command.Action, command.Device ?? "-", owner);
        return Results.Json(new { status = "SUCCESS", outcome = "passed_on", detail = $"passed on to instance {owner}, which ingests {command.Device}" });
    }

    private static bool IsCloudEvent(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("specversion", out _);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new InvalidDataException("body too large");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException("body too large");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>A structured CloudEvent (<c>data</c> holds the command) or, without an envelope, the command itself.</summary>
    internal static async Task<CameraCommand> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Read(await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false));

    private static CameraCommand Read(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("expected a JSON object");
        }

        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : Guid.NewGuid().ToString();
        var body = root.TryGetProperty("specversion", out _) && root.TryGetProperty("data", out var data) ? data : root;
        if (body.ValueKind == JsonValueKind.String)
        {
            // Some publishers send the data as a JSON string.
            using var inner = JsonDocument.Parse(body.GetString() ?? "");
            return Parse(id, inner.RootElement);
        }

        return Parse(id, body);
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
