using Microsoft.Extensions.Logging;
using VideoSensor.Cameras;
using VideoSensor.Media.Ingest;
using VideoSensor.Security;

namespace VideoSensor.Media.MediaMtx;

/// <summary>The body MediaMTX posts to <c>authHTTPAddress</c> for every publish, read, playback or API action.</summary>
internal sealed record MediaMtxAuthRequest(
    string? User,
    string? Password,
    string? Token,
    string? Ip,
    string? Action,
    string? Path,
    string? Protocol,
    string? Id,
    string? Query);

/// <summary>
/// Decides MediaMTX's auth callbacks: the service's internal credential may do anything (its ingests
/// publish, its recorders read, it drives the API); a client's JWT or API key (as bearer token, or as
/// the password of an RTSP URL) with the role <see cref="WatchCamera.Access"/> declares may read and play back.
/// Nothing else is allowed.
/// </summary>
internal sealed partial class DataPlaneAuthorizer(
    InternalCredential credential,
    AuthenticationGuard guard,
    CameraRegistry registry,
    IStreamActivator activator,
    ILogger<DataPlaneAuthorizer> logger,
    ShortLivedCredentials? shortLived = null)
{
    public async Task<bool> AuthorizeAsync(MediaMtxAuthRequest request, CancellationToken cancellationToken)
    {
        // The service's own children: the internal credential, or a short-lived one issued for this path and action.
        if (credential.Matches(request.User, request.Password) || shortLived?.TryUse(request.User, request.Password, request.Path, request.Action) == true)
        {
            return true;
        }

        if (request.Action is not ("read" or "playback"))
        {
            LogDenied(logger, request.Action ?? "(none)", request.Path ?? "", "only the service itself may publish or use the API");
            return false;
        }

        var presented = FirstNonEmpty(request.Token, request.Password, QueryToken(request.Query), request.User);
        if (presented is null)
        {
            LogDenied(logger, request.Action, request.Path ?? "", "no credential");
            return false;
        }

        // Through the shared failure budget: guesses over RTSP or HLS count with those over WebSocket and REST.
        AuthenticatedUser user;
        try
        {
            user = await guard.AuthenticateAsync(presented, System.Net.IPAddress.TryParse(request.Ip, out var address) ? address : null,
                AuthChannel.DataPlane, apiKeyOnly: false, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            LogDenied(logger, request.Action, request.Path ?? "", ex.Message);
            return false;
        }
        catch (AuthenticationThrottledException)
        {
            return false;
        }

        // Reading and playing back is watching the camera: the role declared for that, checked as REST and JSON-RPC check it.
        if (AccessPolicy.Check(WatchCamera.Access, user) != AccessDecision.Allowed)
        {
            LogDenied(logger, request.Action, request.Path ?? "", $"watching needs the {WatchCamera.Access.ToWire()} role");
            return false;
        }

        if (request.Action == "read")
        {
            WakeIngest(request.Path);
        }

        return true;
    }

    /// <summary>
    /// A reader arriving on a camera that has no ingest running starts one (it stops again once idle). The start runs
    /// in the background: MediaMTX authenticates inside the loop that also serves its API and publishers, so this
    /// callback must answer at once. The reader is held by MediaMTX itself (the path's <c>runOnDemand</c>, see
    /// <see cref="DesiredPaths.OnDemandHold"/>) until the ingest publishes, and plays on its first try.
    /// </summary>
    private void WakeIngest(string? path)
    {
        if (path is null || !registry.TryGet(path, out var camera) || camera.Source is RtspSource)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await activator.EnsureActiveAsync(camera.Id, hold: false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Errors.SensorException ex)
            {
                LogWakeFailed(logger, camera.Id, ex.Message);
            }
#pragma warning disable CA1031 // a background wake must never take the process down; the reader then times out in MediaMTX
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogWakeFailed(logger, camera.Id, ex.Message);
            }
        });
    }

    /// <summary>
    /// <c>?token=</c> of the reader's URL: a browser's native HLS player (the web console's fallback)
    /// cannot send an Authorization header.
    /// </summary>
    private static string? QueryToken(string? query) =>
        string.IsNullOrEmpty(query) ? null : System.Web.HttpUtility.ParseQueryString(query)["token"];

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));

    [LoggerMessage(Level = LogLevel.Information, Message = "Data-plane {Action} on '{Path}' denied: {Reason}")]
    private static partial void LogDenied(ILogger logger, string action, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the stream of {Camera} for a reader: {Reason}")]
    private static partial void LogWakeFailed(ILogger logger, string camera, string reason);
}
