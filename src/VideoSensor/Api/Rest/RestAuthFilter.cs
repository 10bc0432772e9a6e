using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Security;

namespace VideoSensor.Api.Rest;

/// <summary>
/// REST authentication with the same credentials as JSON-RPC: <c>Authorization: Bearer</c>,
/// <c>X-API-Key</c>, or <c>?token=</c> (for links a browser follows). 401 without, 403 below the role: the endpoint's
/// declared role is checked by <see cref="AccessPolicy"/>, as JSON-RPC and the data-plane callback check theirs.
/// </summary>
internal sealed class RestAuthFilter(Role required) : IEndpointFilter
{
    public const string UserItem = "videosensor.user";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var credential = Credential(http.Request);
        if (credential is null)
        {
            return Problem(StatusCodes.Status401Unauthorized, "authentication required", "send Authorization: Bearer <token>, X-API-Key, or ?token=");
        }

        AuthenticatedUser user;
        try
        {
            user = await http.RequestServices.GetRequiredService<AuthenticationGuard>().AuthenticateAsync(credential, http.Connection.RemoteIpAddress, AuthChannel.Rest, apiKeyOnly: false, http.RequestAborted).ConfigureAwait(false);
        }
        catch (AuthenticationThrottledException ex)
        {
            var seconds = (long)Math.Ceiling(ex.RetryAfter.TotalSeconds);
            return new WithHeader(Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "too many failed authentications", detail: ex.Message),
                "Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (AuthenticationException ex)
        {
            http.RequestServices.GetRequiredService<Telemetry.SensorMetrics>().AuthenticationFailed("rest");
            return Problem(StatusCodes.Status401Unauthorized, "authentication failed", ex.Message);
        }

        if (AccessPolicy.Check(required, user) == AccessDecision.Forbidden)
        {
            return Problem(StatusCodes.Status403Forbidden, "permission denied", $"this needs the {required.ToWire()} role; the credential has {user.Role.ToWire()}");
        }

        http.Items[UserItem] = user;
        return await next(context).ConfigureAwait(false);
    }

    private static string? Credential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        var key = request.Headers["X-API-Key"].ToString();
        if (key.Length > 0)
        {
            return key;
        }

        var query = request.Query["token"].ToString();
        return query.Length > 0 ? query : null;
    }

    private static IResult Problem(int status, string title, string detail)
    {
        var result = Results.Problem(statusCode: status, title: title, detail: detail);
        return status == StatusCodes.Status401Unauthorized ? new WithHeader(result, "WWW-Authenticate", "Bearer") : result;
    }

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}

internal static class RestAuthExtensions
{
    /// <summary>Checks the credential before the handler; the role is also endpoint metadata, for the OpenAPI document.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role)
        where TBuilder : IEndpointConventionBuilder => builder.AddEndpointFilter(new RestAuthFilter(role)).WithMetadata(new RequiredRole(role));
}

/// <summary>Endpoint metadata: the role a REST endpoint needs (for the OpenAPI document and the role-matrix test).</summary>
internal sealed record RequiredRole(Role Role);
