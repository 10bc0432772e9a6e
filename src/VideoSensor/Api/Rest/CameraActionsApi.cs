using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using VideoSensor.Api.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Methods;
using VideoSensor.Errors;
using VideoSensor.Recording;
using VideoSensor.Security;
using VideoSensor.Snapshots;

namespace VideoSensor.Api.Rest;

/// <summary>Camera actions over REST, for operators: the same work and rules as the JSON-RPC methods.</summary>
internal static class CameraActionsApi
{
    public static void MapCameraActionsApi(this IEndpointRouteBuilder app)
    {
        // Each action's role is the one its use case declares; the group adds none of its own (a second filter would
        // authenticate every request twice).
        var group = app.MapGroup("/api/v1/cameras/{id}").WithTags("cameras");
        app.MapPost("/api/v1/cameras/{id}/snapshot", async Task<Results<Ok<SnapshotResult>, ProblemHttpResult>> (string id, HttpRequest request, TakeSnapshot takeSnapshot, CancellationToken ct) =>
        {
            try
            {
                // A chunked body has no Content-Length: only a declared empty body, or none at all, means "no options".
                var hasBody = request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
                var body = hasBody ? await HostJson.ReadElementAsync(request.Body, ct).ConfigureAwait(false) : default;
                return TypedResults.Ok(await takeSnapshot.ExecuteAsync(SnapshotRequest(id, body), ct).ConfigureAwait(false));
            }
            catch (JsonException)
            {
                return RestProblems.Field("(body)", "is not valid JSON");
            }
            catch (BodyException ex)
            {
                return RestProblems.Field(ex.Field, ex.Message);
            }
            catch (SensorException ex)
            {
                return RestProblems.From(ex);
            }
        }).WithTags("cameras").RequireRole(TakeSnapshot.Access).Accepts<SnapshotBody>("application/json");
        group.MapPost("/recording", async Task<Results<Ok<StartRecordingResult>, ProblemHttpResult>> (string id, double? duration, string? format, StartRecording startRecording, CancellationToken ct) =>
            await Run(() => startRecording.ExecuteAsync(new StartRecordingRequest { Device = id, Duration = duration, Format = format }, ct)).ConfigureAwait(false))
            .RequireRole(StartRecording.Access);
        group.MapDelete("/recording", async Task<Results<Ok<StopRecordingResult>, ProblemHttpResult>> (string id, StopRecording stopRecording) =>
            await Run(() => stopRecording.ExecuteAsync(new StopRecordingRequest { Device = id })).ConfigureAwait(false))
            .RequireRole(StopRecording.Access);
    }

    /// <summary>Runs an action for REST: parameter errors become 400 naming the field, domain errors their status.</summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return TypedResults.Ok(await action().ConfigureAwait(false));
        }
        catch (SensorException ex)
        {
            return RestProblems.From(ex);
        }
    }

    /// <summary>The take_snapshot request from the path and an optional body {format, quality, max_width, max_height, filename}.</summary>
    private static TakeSnapshotRequest SnapshotRequest(string id, JsonElement body)
    {
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return new TakeSnapshotRequest { Device = id };
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BodyException("(body)", "must be a JSON object");
        }

        try
        {
            var parsed = body.Deserialize(StrictSnapshotBody)!;
            return new TakeSnapshotRequest { Device = id, Format = parsed.Format, Quality = parsed.Quality, MaxWidth = parsed.MaxWidth, MaxHeight = parsed.MaxHeight, Filename = parsed.Filename };
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : UnknownMember(ex.Message) ?? "(body)";
            return ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? throw new BodyException(UnknownMember(ex.Message) ?? field, "unknown field")
                : throw new BodyException(field, "has the wrong type");
        }
    }

    /// <summary>The body's metadata with unknown members refused, so a misspelt option is a 400 rather than ignored.</summary>
    private static readonly JsonTypeInfo<SnapshotBody> StrictSnapshotBody =
        (JsonTypeInfo<SnapshotBody>)new JsonSerializerOptions(HostJson.Api) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow }.GetTypeInfo(typeof(SnapshotBody));

    private static string? UnknownMember(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }
}

/// <summary>Optional body of POST /api/v1/cameras/{id}/snapshot.</summary>
internal sealed record SnapshotBody(string? Format, int? Quality, int? MaxWidth, int? MaxHeight, string? Filename);
