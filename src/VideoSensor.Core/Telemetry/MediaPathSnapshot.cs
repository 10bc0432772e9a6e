using VideoSensor.Media.MediaMtx;

namespace VideoSensor.Telemetry;

/// <summary>
/// MediaMTX's live paths as last read for a scrape. It is refreshed just before <c>/metrics</c> is
/// served (see <see cref="TelemetrySetup"/>), so an idle node that nobody scrapes makes no API calls,
/// and the observable instruments, whose callbacks must not wait on I/O, read a fresh copy.
/// </summary>
internal sealed class MediaPathSnapshot(StreamState streams, MediaMtxState state)
{
    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(2);
    private volatile IReadOnlyList<MtxPath> _paths = [];

    public IReadOnlyList<MtxPath> Paths => _paths;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!state.IsRunning)
        {
            _paths = [];
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RefreshTimeout);
        try
        {
            _paths = await streams.ListAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Errors.SensorException or OperationCanceledException or HttpRequestException or System.Text.Json.JsonException)
        {
            // MediaMTX did not answer in time: the stream series drop out of this scrape rather than repeat stale figures.
            _paths = [];
        }
    }
}
