using System.Text.Json;

namespace VideoSensor.Tests.Console.Browser;

/// <summary>
/// What one WHEP read in the browser measured, in milliseconds from just before the peer connection was
/// created: the POST's answer, the first decoded frame (<c>videoWidth &gt; 0</c> and <c>currentTime &gt; 0</c>),
/// the picture's size and how far <c>currentTime</c> advanced in the second after the first frame.
/// </summary>
public sealed record WhepRead(double PostMs, double FirstFrameMs, int Width, int Height, double AdvancedSeconds, int Status);

/// <summary>
/// A WebRTC reader the way a browser page is one: an <c>RTCPeerConnection</c> offer POSTed to MediaMTX's WHEP
/// endpoint with the token (if any) in a header, the answer applied, and a muted video element playing the track.
/// The page must have a real origin (MediaMTX answers CORS with <c>*</c> only to a real <c>Origin</c>, not to
/// about:blank's <c>null</c>) that its CSP lets reach the WHEP endpoint. The reader stays open (it is kept on <c>window.__whep</c>) until <see cref="CloseAllAsync"/>.
/// </summary>
public static class WhepReader
{
    public static async Task<WhepRead> ReadAsync(BrowserPage page, string whepUrl, string token, TimeSpan timeout)
    {
        var script = $$"""
            (async () => {
              const url = {{JsonSerializer.Serialize(whepUrl)}};
              const token = {{JsonSerializer.Serialize(token)}};
              const deadline = performance.now() + {{(int)timeout.TotalMilliseconds}};
              const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
              const t0 = performance.now();
              const pc = new RTCPeerConnection();
              (window.__whep ||= []).push(pc);
              pc.addTransceiver('video', { direction: 'recvonly' });
              const video = document.createElement('video');
              video.muted = true; video.autoplay = true; video.playsInline = true;
              document.body.append(video);
              pc.addEventListener('track', (e) => { video.srcObject = e.streams[0] || new MediaStream([e.track]); video.play().catch(() => {}); });
              await pc.setLocalDescription(await pc.createOffer());
              // No trickle: the offer carries its candidates (host candidates on loopback gather at once).
              while (pc.iceGatheringState !== 'complete' && performance.now() < t0 + 2000) await sleep(5);
              const response = await fetch(url, { method: 'POST', headers: token ? { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` } : { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
              const post = performance.now() - t0;
              if (response.status !== 201) return { post, frame: -1, width: 0, height: 0, advanced: 0, status: response.status };
              await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
              while (!(video.videoWidth > 0 && video.currentTime > 0)) {
                if (performance.now() > deadline) return { post, frame: -1, width: video.videoWidth, height: video.videoHeight, advanced: 0, status: 201 };
                await sleep(5);
              }
              const frame = performance.now() - t0;
              const at = video.currentTime;
              await sleep(1000);
              return { post, frame, width: video.videoWidth, height: video.videoHeight, advanced: video.currentTime - at, status: 201 };
            })()
            """;
        using var guard = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(30));
        var r = await page.EvaluateAsync(script, guard.Token);
        return new WhepRead(r.GetProperty("post").GetDouble(), r.GetProperty("frame").GetDouble(), r.GetProperty("width").GetInt32(),
            r.GetProperty("height").GetInt32(), r.GetProperty("advanced").GetDouble(), r.GetProperty("status").GetInt32());
    }

    /// <summary>Closes every reader the page opened (MediaMTX sees the sessions end).</summary>
    public static Task CloseAllAsync(BrowserPage page) =>
        page.EvaluateAsync("(() => { for (const pc of window.__whep || []) pc.close(); window.__whep = []; document.querySelectorAll('video').forEach((v) => v.remove()); return true; })()");
}
