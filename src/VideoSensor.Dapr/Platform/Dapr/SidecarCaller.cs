using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace VideoSensor.Platform.Dapr;

/// <summary>Tells whether a request to an app-side Dapr endpoint (commands, actors) comes from the sidecar.</summary>
internal static class SidecarCaller
{
    /// <summary>
    /// With APP_API_TOKEN set, the sidecar sends it on every call: anything else is not the sidecar.
    /// Without it, only the local sidecar (same pod or host: loopback) may call.
    /// </summary>
    public static bool IsSidecar(HttpContext context, DaprSidecar sidecar) =>
        sidecar.AppApiToken is { Length: > 0 } expected
            ? FixedTimeEquals(context.Request.Headers["dapr-api-token"].ToString(), expected)
            : context.Connection.RemoteIpAddress is { } remote && System.Net.IPAddress.IsLoopback(remote);

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
