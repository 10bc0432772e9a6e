using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace VideoSensor.Bench.Latency;

/// <summary>
/// A low-latency HLS client as far as the latency figures need one: follows MediaMTX's cookie-check redirect with
/// its Authorization header kept and, like hls.js on another origin, sends no cookies (MediaMTX then names the
/// session in the child playlists' query), finds the media playlist, and waits for new parts with blocking playlist reloads
/// (<c>_HLS_msn</c>/<c>_HLS_part</c>), so it sees each part the moment MediaMTX makes it available.
/// </summary>
internal sealed class HlsClient(string? token) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Time from the first request to the multivariant playlist (200) and to the first media playlist with media in it.</summary>
    public async Task<(double Multivariant, double Media)> FirstPlaylistAsync(Uri index, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var multivariant = await GetTextAsync(index, ct);
        var atMultivariant = clock.Elapsed.TotalMilliseconds;
        var media = MediaPlaylistUri(index, multivariant);
        while (true)
        {
            var playlist = await GetTextAsync(media, ct);
            if (playlist.Contains("#EXT-X-PART:", StringComparison.Ordinal) || playlist.Contains("#EXTINF:", StringComparison.Ordinal))
            {
                return (atMultivariant, clock.Elapsed.TotalMilliseconds);
            }
        }
    }

    /// <summary>
    /// For <paramref name="count"/> new parts: wall clock when the part became available minus the media time of its
    /// start (EXT-X-PROGRAM-DATE-TIME, which MediaMTX stamps with the time it received the frames).
    /// </summary>
    public async Task<IReadOnlyList<double>> AvailabilityLatenciesAsync(Uri index, int count, CancellationToken ct)
    {
        var media = MediaPlaylistUri(index, await GetTextAsync(index, ct));
        var latest = Parse(await GetTextAsync(media, ct));
        var latencies = new List<double>();
        while (latencies.Count < count)
        {
            // The media playlist's own query (MediaMTX's ?session=… for a client without cookies) stays.
            var blocking = string.Create(CultureInfo.InvariantCulture, $"_HLS_msn={latest.NextMsn}&_HLS_part={latest.NextPart}");
            var next = new UriBuilder(media) { Query = media.Query.Length > 1 ? media.Query[1..] + "&" + blocking : blocking }.Uri;
            var text = await GetTextAsync(next, ct);
            var now = DateTimeOffset.UtcNow;
            var playlist = Parse(text);
            if (playlist.NewestPartStart is { } start && (playlist.NextMsn, playlist.NextPart) != (latest.NextMsn, latest.NextPart))
            {
                latencies.Add((now - start).TotalMilliseconds);
            }

            latest = playlist;
        }

        return latencies;
    }

    public void Dispose() => _http.Dispose();

    private static Uri MediaPlaylistUri(Uri index, string multivariant) =>
        new(index, multivariant.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0 && !l.StartsWith('#')));

    private async Task<string> GetTextAsync(Uri url, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        for (var hop = 0; hop < 200; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _http.SendAsync(request, ct);
            if (response.StatusCode is HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect && response.Headers.Location is { } location)
            {
                url = new Uri(url, location);
                continue;
            }

            // A muxer that is being closed or (re)created answers 500 for a moment; a player retries, so does this client.
            if (response.StatusCode == HttpStatusCode.InternalServerError && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50, ct);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new HttpRequestException($"{url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}");
            }

            return await response.Content.ReadAsStringAsync(ct);
        }

        throw new HttpRequestException($"{url.GetLeftPart(UriPartial.Path)}: too many redirects or retries");
    }

    /// <summary>What a media playlist says about its live edge: the next part to ask for and when the newest part started.</summary>
    private sealed record Playlist(long NextMsn, int NextPart, DateTimeOffset? NewestPartStart);

    private static Playlist Parse(string text)
    {
        long sequence = 0;
        var complete = 0;
        var partsInOpenSegment = 0;
        DateTimeOffset? segmentStart = null;
        DateTimeOffset? partCursor = null;
        DateTimeOffset? newestPart = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                sequence = long.Parse(line[22..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            {
                segmentStart = DateTimeOffset.Parse(line[25..], CultureInfo.InvariantCulture);
                partCursor = segmentStart;
            }
            else if (line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal))
            {
                newestPart = partCursor;
                partCursor += TimeSpan.FromSeconds(Attribute(line, "DURATION"));
                partsInOpenSegment++;
            }
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                segmentStart += TimeSpan.FromSeconds(double.Parse(line[8..].TrimEnd(','), CultureInfo.InvariantCulture));
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                // A complete segment's URI: its parts (listed before it) belong to it; the next segment starts here.
                complete++;
                partsInOpenSegment = 0;
                partCursor = segmentStart;
            }
        }

        return new Playlist(sequence + complete, partsInOpenSegment, newestPart);
    }

    private static double Attribute(string line, string name)
    {
        var at = line.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
        var end = line.IndexOf(',', at);
        return double.Parse(end < 0 ? line[at..] : line[at..end], CultureInfo.InvariantCulture);
    }
}
