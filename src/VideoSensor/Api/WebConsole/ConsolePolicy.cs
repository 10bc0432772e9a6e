using Microsoft.Extensions.Options;
using VideoSensor.Media;

namespace VideoSensor.Api.WebConsole;

/// <summary>
/// The response headers of every console file. The Content-Security-Policy allows only the service's
/// own scripts and styles (no inline code, no eval, no other hosts) plus the two MediaMTX origins the
/// live view talks to: WHEP (fetch) on the WebRTC port and HLS (fetch and media) on the HLS port.
/// </summary>
internal sealed class ConsolePolicy(StreamUrls urls, IOptions<MediaOptions> media)
{
    private string? _csp;

    public string ContentSecurityPolicy => _csp ??= Build();

    public void Apply(Microsoft.AspNetCore.Http.IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }

    private string Build()
    {
        var dataPlane = "";
        if (!media.Value.MediaMtx.Disabled)
        {
            var whep = new Uri(urls.Whep("x")).GetLeftPart(UriPartial.Authority);
            var hls = new Uri(urls.Hls("x")).GetLeftPart(UriPartial.Authority);
            dataPlane = $" {whep} {hls}";
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
}
