using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Security;

namespace VideoSensor.Api.Rest;

/// <summary>
/// <c>PUT /api/v1/sources/{id}/credentials</c> (admin): the user name and password of an RTSP source, entered
/// once and stored as secrets; the answer (and every later read) gives only the references to put in the
/// source's <c>username</c>/<c>password</c>, never the values. Sent before the source is created, so its
/// first probe already signs in.
/// </summary>
internal static class SourceCredentialsApi
{
    public static void MapSourceCredentialsApi(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/v1/sources/{id}/credentials", Results<Ok<CredentialRefs>, ProblemHttpResult> (string id, JsonElement body, SourceCredentials credentials) =>
        {
            if (!CameraIds.IsValid(id))
            {
                return RestProblems.Field("id", "must be a camera id (letters, digits, '-' or '_')");
            }

            try
            {
                if (body.ValueKind != JsonValueKind.Object)
                {
                    throw new BodyException("(body)", "must be a JSON object {username, password}");
                }

                foreach (var property in body.EnumerateObject().Where(p => p.Name is not ("username" or "password")))
                {
                    throw new BodyException(property.Name, "unknown field");
                }

                var (username, password) = credentials.Store(id, Text(body, "username"), Text(body, "password"));
                return TypedResults.Ok(new CredentialRefs(
                    username is null ? null : new SecretRef(username.Secret, username.Key),
                    password is null ? null : new SecretRef(password.Secret, password.Key)));
            }
            catch (BodyException ex)
            {
                return RestProblems.Field(ex.Field, ex.Message);
            }
        }).RequireRole(Role.Admin).WithTags("sources");

    private static string? Text(JsonElement body, string field) => body.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new BodyException(field, "must be a string")
        : null;
}

internal sealed record CredentialRefs(SecretRef? Username, SecretRef? Password);
