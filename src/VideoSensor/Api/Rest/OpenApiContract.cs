using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using VideoSensor.Api.JsonRpc.Methods;
using VideoSensor.Cameras;
using VideoSensor.Security;

namespace VideoSensor.Api.Rest;

/// <summary>
/// What <c>/openapi.json</c> says beyond what ASP.NET Core infers: an operationId and summary for every
/// operation, the response bodies of handlers that return untyped results, every problem response (401/403
/// from the endpoint's <see cref="RequiredRole"/>, the others listed here), the security schemes, and no
/// internal routes. A route missing from <see cref="Operations"/> keeps no operationId, which the contract
/// validation (scripts/validate-contracts.sh) and the OpenAPI test reject.
/// </summary>
internal static class OpenApiContract
{
    private const string ProblemSchema = "ProblemDetails";
    private const string Bearer = "bearer";
    private const string ApiKey = "apiKey";
    private const string QueryToken = "queryToken";

    /// <summary>One operation's name, summary, body and the problems it answers with (besides 401/403/500).</summary>
    private sealed record Operation(string Id, string Summary, Type? Body = null, string? MediaType = null, params int[] Problems);

    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.Ordinal)
    {
        ["GET /health/live"] = new("getLiveness", "Liveness: the process answers", typeof(LiveBody)),
        ["GET /health/ready"] = new("getReadiness", "Readiness: started and not unhealthy (503 until then, same body)", typeof(ReadyBody), null, 503),
        ["GET /health"] = new("getHealth", "Health of the service and each component (503 when unhealthy, same body)", typeof(HealthBody), null, 503),
        ["GET /files/recordings/{filename}"] = new("downloadRecording", "Download a recording file (HTTP Range supported)", null, "video/mp4", 400, 404, 416),
        ["GET /files/snapshots/{filename}"] = new("downloadSnapshot", "Download a snapshot (HTTP Range supported)", null, "image/jpeg", 400, 404, 416),
        ["GET /api/v1/cameras"] = new("listCameras", "Every camera with status and stream URLs", typeof(CameraList)),
        ["GET /api/v1/cameras/{id}"] = new("getCamera", "One camera with status and stream URLs", typeof(CameraView), null, 404),
        ["GET /api/v1/capabilities"] = new("getCapabilities", "What the service offers: methods, camera kinds, formats, stream capacity", typeof(CapabilitiesBody)),
        ["GET /api/v1/config"] = new("getConfig", "The effective configuration, secrets redacted"),
        ["PATCH /api/v1/config"] = new("patchConfig", "Change configuration keys: validated, applied live where possible, persisted", null, null, 400, 409),
        ["GET /api/v1/cameras/{id}/preview.jpg"] = new("getCameraPreview", "The camera's current picture as JPEG, from memory, never stored", null, "image/jpeg", 400, 404, 409, 503),
        ["GET /api/v1/sources"] = new("listSources", "Every RTSP feed, configured or added at run time"),
        ["POST /api/v1/sources"] = new("createSource", "Add an RTSP feed (credentials only as secret references)", null, null, 400, 409),
        ["GET /api/v1/sources/{id}"] = new("getSource", "One RTSP feed", null, null, 404),
        ["PUT /api/v1/sources/{id}"] = new("putSource", "Create or replace an RTSP feed", null, null, 400, 409),
        ["DELETE /api/v1/sources/{id}"] = new("deleteSource", "Remove an RTSP feed added at run time", null, null, 404, 409),
        ["POST /api/v1/sources/{id}/probe"] = new("probeSource", "Probe an RTSP feed now and answer its fresh status", null, null, 404),
        ["PUT /api/v1/sources/{id}/credentials"] = new("putSourceCredentials", "Store a feed's user name and password as secrets; answers references only", typeof(CredentialRefs), null, 400),
        ["GET /api/v1/recordings/export"] = new("exportRecording", "A time range of one camera's recordings as one MP4 (stream copy)", null, "video/mp4", 400, 404, 503),
        ["POST /api/v1/cameras/{id}/snapshot"] = new("takeSnapshot", "Take and store one snapshot", null, null, 400, 404, 409, 501, 503),
        ["POST /api/v1/cameras/{id}/recording"] = new("startRecording", "Start recording the camera", null, null, 400, 404, 409, 501, 503),
        ["DELETE /api/v1/cameras/{id}/recording"] = new("stopRecording", "Stop the camera's recording", null, null, 404, 409, 503),
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new()
            {
                Title = "DaprCamera video sensor management API",
                Version = "v1",
                Description = "REST management plane. The control plane is JSON-RPC over WebSocket at /ws (rpc.discover returns its OpenRPC document); Prometheus metrics are at /metrics.",
            };
            foreach (var path in document.Paths.Keys.Where(p => p.StartsWith("/internal/", StringComparison.Ordinal)).ToList())
            {
                document.Paths.Remove(path); // MediaMTX's callback on loopback, not an API for clients
            }

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT (the service's HS256 secret, or RS256/ES256 from the JWKS) or an API key, as Authorization: Bearer",
            };
            document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-API-Key",
                Description = "An API key configured in security.api_keys",
            };
            document.Components.SecuritySchemes[QueryToken] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = "token",
                Description = "A token or API key in the query, for links a browser follows (downloads, preview pictures)",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = Problem();
            return Task.CompletedTask;
        });

        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var description = context.Description;
            var key = $"{description.HttpMethod} /{description.RelativePath?.Trim('/')}";
            if (!Operations.TryGetValue(key, out var info))
            {
                return;
            }

            operation.OperationId = info.Id;
            operation.Summary = info.Summary;
            operation.Responses ??= new OpenApiResponses();
            var ok = operation.Responses.Keys.FirstOrDefault(k => k.StartsWith('2')) ?? "200";
            if (info.Body is not null)
            {
                operation.Responses[ok] = Json("OK", await context.GetOrCreateSchemaAsync(info.Body, null, cancellationToken).ConfigureAwait(false));
            }
            else if (info.MediaType is not null)
            {
                operation.Responses[ok] = new OpenApiResponse
                {
                    Description = "OK",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [info.MediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
            }
            else if (operation.Responses.TryGetValue(ok, out var existing) && string.IsNullOrEmpty(existing.Description) && existing is OpenApiResponse response)
            {
                response.Description = "OK";
            }

            var document = context.Document;
            var role = description.ActionDescriptor.EndpointMetadata.OfType<RequiredRole>().LastOrDefault();
            var problems = new SortedSet<int>(info.Problems) { 500 };
            if (role is not null)
            {
                problems.Add(401);
                if (role.Role > Role.Viewer)
                {
                    problems.Add(403);
                }

                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey, document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(QueryToken, document)] = [] },
                ];
                operation.Description = $"Needs the {role.Role.ToWire()} role.";
            }

            foreach (var status in problems)
            {
                operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
                {
                    Description = ProblemText(status),
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
                    },
                };
            }
        });
    }

    private static OpenApiResponse Json(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    /// <summary>RFC 9457 problem details, as ASP.NET Core writes them.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details; extension members (e.g. errors, state, dependency) depend on the problem",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
        AdditionalPropertiesAllowed = true,
    };

    private static string ProblemText(int status) => status switch
    {
        400 => "Invalid request: a parameter or the body breaks a rule (problem details name it)",
        401 => "No credential, or one the service does not accept (WWW-Authenticate: Bearer)",
        403 => "The credential's role is below the one this endpoint needs",
        404 => "No such camera, source or file",
        409 => "The camera or source is in a state that does not allow this",
        416 => "The Range is outside the file",
        501 => "The camera does not support this",
        503 => "A dependency (ffmpeg, MediaMTX, storage) failed or the service is not ready",
        _ => "Internal error",
    };
}
