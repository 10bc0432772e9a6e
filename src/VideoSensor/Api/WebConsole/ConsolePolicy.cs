using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using VideoSensor.Media;

namespace VideoSensor.Api.WebConsole;

/// <summary>
/// The response headers of every console file. The Content-Security-Policy allows only the service's
/// own scripts and styles (no inline code, no eval, no other hosts) plus the two MediaMTX origins the
/// live view talks to: WHEP (fetch) on the WebRTC port and HLS (fetch and media) on the HLS port.
/// Those origins are on the host the page was loaded from, because that is where the page reaches
/// MediaMTX (live.js): the configured public host may not resolve for a browser that opened the console
/// under another name or address. So the policy is built per request, from the request's Host.
/// </summary>
internal sealed class ConsolePolicy(StreamUrls urls, IOptions<MediaOptions> media)
{
    public string ContentSecurityPolicy(HostString requestHost)
    {
        var dataPlane = "";
        if (!media.Value.MediaMtx.Disabled)
        {
            var host = DataPlaneHost(requestHost);
            dataPlane = string.Create(CultureInfo.InvariantCulture, $" http://{host}:{media.Value.WebRtcPort} http://{host}:{media.Value.HlsPort}");
        }

        // 'self' covers ws:/wss: to the same host in CSP level 3 (the control-plane WebSocket).
        return string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob:",
            $"media-src 'self' blob:{dataPlane}",
            $"connect-src 'self'{dataPlane}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    public void Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(http.Request.Host);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }

    /// <summary>
    /// The host part of the request's Host header when it is a plain DNS name or IP address (what
    /// <c>location.hostname</c> is in the page), else the configured public host. Nothing else from the
    /// header reaches the policy, so a forged Host cannot add sources or directives.
    /// </summary>
    internal string DataPlaneHost(HostString requestHost)
    {
        var host = requestHost.HasValue ? requestHost.Host : "";
        if (host.StartsWith('[') && host.EndsWith(']') && Uri.CheckHostName(host[1..^1]) == UriHostNameType.IPv6)
        {
            return host.ToLowerInvariant();
        }

        return Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 ? host.ToLowerInvariant() : urls.Host;
    }
}
