using System.Text.Json;
using VideoSensor.Tests.Console.Browser;

namespace VideoSensor.Tests.Media.Real;

/// <summary>What a browser's WebRTC reader received on its audio receiver: the negotiated codec and the inbound-rtp counters.</summary>
public sealed record WhepAudioRead(int Status, string? AnswerAudio, string? MimeType, long PacketsReceived, long BytesReceived, string? Error);

/// <summary>
/// A WHEP reader in real Chromium that asks for video and audio, then reads the audio receiver's inbound-rtp stats
/// (<c>getReceivers()</c> → <c>getStats()</c>) after the packets had time to flow. Stats count RTP packets as they
/// arrive, whether or not anything plays them (a headless page cannot play sound).
/// </summary>
public static class WhepAudio
{
    public static async Task<WhepAudioRead> ReadAsync(BrowserPage page, string whepUrl, string token, TimeSpan timeout)
    {
        var script = $$"""
            (async () => {
              const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
              const deadline = performance.now() + {{(int)timeout.TotalMilliseconds}};
              const pc = new RTCPeerConnection();
              pc.addTransceiver('video', { direction: 'recvonly' });
              pc.addTransceiver('audio', { direction: 'recvonly' });
              await pc.setLocalDescription(await pc.createOffer());
              while (pc.iceGatheringState !== 'complete' && performance.now() < deadline) await sleep(5);
              const response = await fetch({{JsonSerializer.Serialize(whepUrl)}}, { method: 'POST', headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer ' + {{JsonSerializer.Serialize(token)}} }, body: pc.localDescription.sdp });
              if (response.status !== 201) { pc.close(); return { status: response.status, error: await response.text() }; }
              const answer = await response.text();
              await pc.setRemoteDescription({ type: 'answer', sdp: answer });
              const audioSection = answer.split('m=').find((m) => m.startsWith('audio')) || '';
              const rtpmap = (audioSection.match(/a=rtpmap:\d+ [^\r\n]+/) || [null])[0];
              const receiver = pc.getReceivers().find((r) => r.track.kind === 'audio');
              let stats = { packets: 0, bytes: 0, mime: null };
              while (performance.now() < deadline) {
                await sleep(250);
                const report = await receiver.getStats();
                const inbound = [...report.values()].find((s) => s.type === 'inbound-rtp' && s.kind === 'audio');
                const codec = inbound && report.get(inbound.codecId);
                stats = { packets: inbound ? inbound.packetsReceived : 0, bytes: inbound ? inbound.bytesReceived : 0, mime: codec ? codec.mimeType : null };
                if (stats.packets >= 50) break;
              }
              pc.close();
              return { status: 201, answer: rtpmap, ...stats };
            })()
            """;
        using var guard = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(30));
        var r = await page.EvaluateAsync(script, guard.Token);
        return new WhepAudioRead(
            r.GetProperty("status").GetInt32(),
            r.TryGetProperty("answer", out var a) ? a.GetString() : null,
            r.TryGetProperty("mime", out var m) ? m.GetString() : null,
            r.TryGetProperty("packets", out var p) ? p.GetInt64() : 0,
            r.TryGetProperty("bytes", out var b) ? b.GetInt64() : 0,
            r.TryGetProperty("error", out var e) ? e.GetString() : null);
    }
}
