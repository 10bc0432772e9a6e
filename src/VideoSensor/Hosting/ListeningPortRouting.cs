using VideoSensor.Configuration.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VideoSensor.Configuration;

namespace VideoSensor.Hosting;

/// <summary>Marks an endpoint the health port may serve (health checks and <c>/files</c>).</summary>
internal sealed class HealthPortEndpoint
{
    public static readonly HealthPortEndpoint Instance = new();

    private HealthPortEndpoint()
    {
    }
}

/// <summary>
/// Which endpoints answer on which port is decided by the port the connection came in on, never by the
/// <c>Host</c> header: a reverse proxy or a port-forward rewrites Host freely, and a client can name any
/// port in it. The health port serves only endpoints marked <see cref="HealthPortEndpoint"/>; everything
/// else is the service port's. New endpoints are therefore service-port only unless marked.
/// </summary>
internal static class ListeningPortRouting
{
    public static TBuilder AllowOnHealthPort<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(HealthPortEndpoint.Instance);

    /// <summary>Routing, then the port check, so the check sees the matched endpoint and its metadata.</summary>
    public static void UseListeningPortRouting(this WebApplication app, ServerOptions server)
    {
        app.UseRouting();
        if (server.HealthPort <= 0 || server.HealthPort == server.Port)
        {
            return;
        }

        var healthPort = server.HealthPort;
        app.Use((context, next) =>
        {
            if (context.Connection.LocalPort == healthPort && context.GetEndpoint()?.Metadata.GetMetadata<HealthPortEndpoint>() is null)
            {
                context.SetEndpoint(null);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}
