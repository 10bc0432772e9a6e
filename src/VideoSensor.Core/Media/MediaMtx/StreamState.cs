using VideoSensor.Errors;

namespace VideoSensor.Media.MediaMtx;

/// <summary>Reads streams' live state from MediaMTX for the API, turning every MediaMTX failure into the contract's -32050.</summary>
internal sealed class StreamState(MediaMtxClient client, MediaMtxState state)
{
    /// <summary>The live path, or null when MediaMTX has none by that name.</summary>
    public async Task<MtxPath?> GetAsync(string cameraId, CancellationToken cancellationToken)
    {
        state.EnsureRunning();
        try
        {
            return await client.GetPathAsync(cameraId, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaMtxException ex)
        {
            throw Dependency(ex);
        }
    }

    public async Task<IReadOnlyList<MtxPath>> ListAsync(CancellationToken cancellationToken)
    {
        state.EnsureRunning();
        try
        {
            return await client.ListPathsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MediaMtxException ex)
        {
            throw Dependency(ex);
        }
    }

    /// <summary>bytes_sent, readers and uptime of a camera's stream, or null when MediaMTX cannot say (camera results stay usable).</summary>
    public async Task<StreamMetrics?> TryMetricsAsync(string cameraId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!state.IsRunning)
        {
            return null;
        }

        try
        {
            var path = await client.GetPathAsync(cameraId, cancellationToken).ConfigureAwait(false);
            return path is null ? null : new StreamMetrics(path.BytesOut, path.Readers.Count, Uptime(path, now));
        }
        catch (MediaMtxException)
        {
            return null;
        }
    }

    /// <summary>Seconds since the path became ready, 0 when it is not.</summary>
    public static double Uptime(MtxPath path, DateTimeOffset now)
    {
        var since = path.AvailableTime ?? path.ReadyTime;
        return path.IsReady && DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, out var t)
            ? Math.Round(Math.Max(0, (now - t).TotalSeconds), 3)
            : 0;
    }

    private static DependencyException Dependency(MediaMtxException ex) =>
        new("mediamtx", ex.Message, "check get_status and the service log");
}

/// <summary>The <c>metrics</c> object of get_camera_status.</summary>
internal sealed record StreamMetrics(long BytesSent, int Readers, double Uptime);
