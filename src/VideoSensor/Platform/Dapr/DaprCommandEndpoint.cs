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
using VideoSensor.Platform.Events;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// The app side of Dapr pub/sub: <c>GET /dapr/subscribe</c> (programmatic subscription to the commands
/// topic with its dead-letter topic) and <c>POST /dapr/commands</c>, which takes the CloudEvent, runs the
/// command and answers the sidecar SUCCESS, RETRY (a dependency failed) or DROP (invalid or unsupported:
/// Dapr moves it to the dead-letter topic). Every outcome is also published as <c>command.result</c>.
/// </summary>
internal static class DaprCommandEndpoint
{
    public const string Route = "/dapr/commands";
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

        app.MapPost(Route, HandleAsync).WithTopic(new TopicOptions
        {
            PubsubName = options.PubSubName,
            Name = topic,
            DeadLetterTopic = DaprTopics.DeadLetter(options, sidecar) is { Length: > 0 } dead ? dead : null,
        });
    }

    private static async Task<IResult> HandleAsync(HttpContext context, DaprSidecar sidecar, CameraCommandDispatcher dispatcher, IPlatformPublisher publisher, TimeProvider time, CancellationToken cancellationToken)
    {
        var authorized = SidecarCaller.IsSidecar(context, sidecar);
        if (!authorized)
        {
            return Results.Json(new { status = "DROP", detail = "missing or wrong dapr-api-token" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        CameraCommand command;
        try
        {
            command = await ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return Results.Json(new { status = "DROP", detail = $"not a command: {ex.Message}" });
        }

        var result = await dispatcher.DispatchAsync(command, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object?>
        {
            ["command_id"] = command.Id,
            ["action"] = command.Action,
            ["outcome"] = result.Outcome.ToString().ToLowerInvariant(),
            ["detail"] = result.Detail,
            ["instance_id"] = sidecar.InstanceId,
        };
        foreach (var (k, v) in result.Data ?? new Dictionary<string, object?>())
        {
            data[k] = v;
        }

        publisher.Enqueue(new SensorEvent(DaprTopics.CommandResult, command.Device, time.GetUtcNow(), data));
        var status = result.Outcome switch
        {
            CommandOutcome.Succeeded => "SUCCESS",
            CommandOutcome.Failed => "RETRY",
            _ => "DROP",
        };
        return Results.Json(new { status, outcome = data["outcome"], detail = result.Detail });
    }

    /// <summary>A structured CloudEvent (<c>data</c> holds the command) or, without an envelope, the command itself.</summary>
    internal static async Task<CameraCommand> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new InvalidDataException("body too large");
        }

        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
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
}
