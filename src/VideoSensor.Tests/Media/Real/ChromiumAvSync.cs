using System.Text.Json;
using VideoSensor.Tests.Console.Browser;

namespace VideoSensor.Tests.Media.Real;

/// <summary>
/// A test-pattern recording as real Chromium reads it: the duration its media element reports, the times at which its
/// decoded picture shows the clock turning (seeking through the file in <paramref name="Step"/>s), and the beep onsets
/// in the audio its own decoder returns (<c>decodeAudioData</c>: it ignores timestamps, so sample n is at n / rate only
/// for a track that starts at 0 without holes; check that with <see cref="Fixtures.AudioCheck.AudioTimeline"/>).
/// </summary>
public sealed record ChromiumAvRead(double Duration, double AudioDuration, IReadOnlyList<double> ClockTurns, IReadOnlyList<double> BeepOnsets, double Step);

/// <summary>
/// Reads a recording in Chromium with the same thresholds as <see cref="Fixtures.AudioCheck"/> (clock strip at y = 16,
/// white text above 200, more than 12 pixels changed; beep when the 5 ms peak level crosses −13 dBFS), so the A/V
/// sync a browser plays can be compared with ffmpeg's. The file is handed over as a blob: no server, no file access.
/// </summary>
public static class ChromiumAvSync
{
    public static async Task<ChromiumAvRead> ReadAsync(BrowserPage page, string file, int width, int fontSize, double step = 0.01)
    {
        var bytes = Convert.ToBase64String(await File.ReadAllBytesAsync(file));
        var script = $$"""
            (async () => {
              const bytes = Uint8Array.from(atob({{JsonSerializer.Serialize(bytes)}}), (c) => c.charCodeAt(0));
              const url = URL.createObjectURL(new Blob([bytes], { type: 'video/mp4' }));
              const video = document.createElement('video');
              video.muted = true;
              video.preload = 'auto';
              const [w, h, step] = [{{width / 2}}, {{fontSize}}, {{step.ToString(System.Globalization.CultureInfo.InvariantCulture)}}];
              const canvas = document.createElement('canvas');
              canvas.width = w;
              canvas.height = h;
              const context = canvas.getContext('2d', { willReadFrequently: true });
              await new Promise((ok, fail) => { video.onloadeddata = ok; video.onerror = () => fail(new Error(video.error ? video.error.message : 'video error')); video.src = url; });
              const seek = (t) => new Promise((ok) => { video.onseeked = ok; video.currentTime = t; });
              const turns = [];
              let previous = null;
              for (let i = 0; i * step < video.duration; i++) {
                await seek(i * step);
                context.drawImage(video, 0, 16, w, h, 0, 0, w, h);
                const pixels = context.getImageData(0, 0, w, h).data;
                const text = new Uint8Array(w * h);
                for (let p = 0; p < text.length; p++) text[p] = pixels[p * 4] > 200 ? 1 : 0;
                if (previous) {
                  let differing = 0;
                  for (let p = 0; p < text.length; p++) differing += text[p] !== previous[p] ? 1 : 0;
                  if (differing > 12) turns.push(i * step);
                }
                previous = text;
              }
              const audio = await new OfflineAudioContext(1, 48000, 48000).decodeAudioData(bytes.buffer.slice(0));
              const samples = audio.getChannelData(0);
              const window = audio.sampleRate / 200;
              const onsets = [];
              let level = -Infinity;
              for (let i = 0; i + window <= samples.length; i += window) {
                let peak = 0;
                for (let j = i; j < i + window; j++) peak = Math.max(peak, Math.abs(samples[j]));
                const db = 20 * Math.log10(peak || 1e-9);
                if (db > -13 && level <= -13) onsets.push(i / audio.sampleRate);
                level = db;
              }
              URL.revokeObjectURL(url);
              return { duration: video.duration, audioDuration: audio.duration, turns, onsets };
            })()
            """;
        var r = await page.EvaluateAsync(script);
        return new ChromiumAvRead(
            r.GetProperty("duration").GetDouble(),
            r.GetProperty("audioDuration").GetDouble(),
            [.. r.GetProperty("turns").EnumerateArray().Select(t => t.GetDouble())],
            [.. r.GetProperty("onsets").EnumerateArray().Select(t => t.GetDouble())],
            step);
    }
}
