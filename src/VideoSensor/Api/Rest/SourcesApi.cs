using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Errors;
using VideoSensor.Security;

namespace VideoSensor.Api.Rest;

/// <summary>RTSP feeds as a REST collection: viewers read, admins write.</summary>
internal static class SourcesApi
{
    public static void MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sources").WithTags("sources");
        group.MapGet("/", (ManagedSources sources, CameraRegistry registry) =>
            TypedResults.Ok(new SourceList([.. sources.List().Select(s => View(s.Source, s.Origin, registry))])))
            .RequireRole(Role.Viewer);
        group.MapGet("/{id}", Results<Ok<SourceView>, ProblemHttpResult> (string id, ManagedSources sources, CameraRegistry registry) =>
            sources.Find(id) is { } s ? TypedResults.Ok(View(s.Source, s.Origin, registry)) : RestProblems.From(new NotFoundException("source", Safe(id), "GET /api/v1/sources lists the sources")))
            .RequireRole(Role.Viewer);
        group.MapPost("/", (JsonElement body, SaveSource saveSource, CancellationToken ct) => SaveAsync(body, null, saveSource, ct))
            .RequireRole(SaveSource.Access);
        group.MapPut("/{id}", (string id, JsonElement body, SaveSource saveSource, CancellationToken ct) => SaveAsync(body, id, saveSource, ct))
            .RequireRole(SaveSource.Access);
        // Test: probe the source now (the periodic probe would get there later) and answer its status.
        group.MapPost("/{id}/probe", async Task<Results<Ok<SourceView>, ProblemHttpResult>> (string id, ProbeSources probe, ManagedSources sources, CameraRegistry registry, CancellationToken ct) =>
        {
            try
            {
                await probe.ExecuteAsync(new ProbeSourcesRequest { Id = id }, ct).ConfigureAwait(false);
                var (source, origin) = sources.Find(id)!.Value;
                return TypedResults.Ok(View(SourceState.Of(source, origin, registry)));
            }
            catch (SensorException ex)
            {
                return RestProblems.From(ex);
            }
        }).RequireRole(ProbeSources.Access);
        group.MapDelete("/{id}", Results<NoContent, ProblemHttpResult> (string id, RemoveSource removeSource) =>
        {
            try
            {
                removeSource.Execute(new RemoveSourceRequest { Id = id });
                return TypedResults.NoContent();
            }
            catch (SensorException ex)
            {
                return RestProblems.From(ex);
            }
        }).RequireRole(RemoveSource.Access);
    }

    private static async Task<Results<Created<SourceView>, Ok<SourceView>, ProblemHttpResult>> SaveAsync(JsonElement body, string? id, SaveSource saveSource, CancellationToken ct)
    {
        try
        {
            var state = await saveSource.ExecuteAsync(new SaveSourceRequest { Source = SourceBody.Parse(body, id), Replace = id is not null }, ct).ConfigureAwait(false);
            var view = View(state);
            return id is null ? TypedResults.Created($"/api/v1/sources/{state.Source.Id}", view) : TypedResults.Ok(view);
        }
        catch (BodyException ex)
        {
            return RestProblems.Field(ex.Field, ex.Message);
        }
        catch (SensorException ex)
        {
            return RestProblems.From(ex);
        }
    }

    private static SourceView View(RtspCameraOptions s, string origin, CameraRegistry registry) => View(SourceState.Of(s, origin, registry));

    private static SourceView View(SourceState state)
    {
        var s = state.Source;
        return new SourceView(s.Id, s.Name.Length > 0 ? s.Name : s.Id, s.Url, s.Transport, s.Username is null ? null : new SecretRef(s.Username.Secret, s.Username.Key),
            s.Password is null ? null : new SecretRef(s.Password.Secret, s.Password.Key), s.Resolution, s.Fps, state.Origin, state.Status.ToWire(), state.Reason);
    }
    private static string Safe(string id) => CameraIds.IsValid(id) ? id : "(invalid id)";
}

internal sealed record SecretRef(string Secret, string Key);

internal sealed record SourceView(string Id, string Name, string Url, string Transport, SecretRef? Username, SecretRef? Password, string Resolution, int Fps, string Origin, string Status, string? Reason);

internal sealed record SourceList(IReadOnlyList<SourceView> Sources);
