using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Errors;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Media.Ingest;
using VideoSensor.Events;
using VideoSensor.Security;
using VideoSensor.Snapshots;
using VideoSensor.Storage;

namespace VideoSensor.Recording;

/// <summary>
/// The recordings of every camera: at most one session per camera. Finalises segments a dead service left
/// behind at start, and stops every recorder gracefully on shutdown so each segment stays playable.
/// </summary>
internal sealed partial class RecordingManager : IHostedService, ILatestFrameSource
{
    private readonly ConcurrentDictionary<string, RecordingSession> _sessions = new(StringComparer.Ordinal);
    private readonly RecorderContext _context;
    private readonly FileStore _store;
    private readonly StorageSpace _space;
    private readonly StorageMonitor _monitor;
    private readonly ILogger<RecordingManager> _logger;
    private readonly Media.Capacity.CapacityTracker _capacity;

    public RecordingManager(
        ReaderInput input,
        SegmentFiles segments,
        FfmpegRunner ffmpeg,
        EventHub events,
        SecretRedactor redactor,
        FileStore store,
        StorageSpace space,
        StorageMonitor monitor,
        IOptions<RecordingOptions> options,
        IOptions<StorageOptions> storage,
        TimeProvider time,
        ILogger<RecordingManager> logger,
        Media.Capacity.CapacityTracker capacity,
        HeldFiles held)
    {
        // Retention leaves a running recording's finished segments alone: its summary names every one of them.
        held.Add(fileName => RunningOwnerOf(fileName) is not null);
        _capacity = capacity;
        _context = new RecorderContext(input, segments, ffmpeg, events, redactor, options.Value, Path.Combine(storage.Value.StatePath, "frames"), time, logger);
        _store = store;
        _space = space;
        _monitor = monitor;
        _logger = logger;
    }

    public IReadOnlyCollection<RecordingSession> Active => [.. _sessions.Values];

    public bool TryGet(string device, out RecordingSession session) => _sessions.TryGetValue(device, out session!);

    /// <summary>Starts recording a camera and returns once its first bytes are on disk.</summary>
    public async Task<RecordingSession> StartAsync(Camera camera, string? format, TimeSpan? duration, CancellationToken cancellationToken)
    {
        camera.RequireConnected();

        try
        {
            _space.EnsureRoomToRecord();
        }
        catch (DependencyException)
        {
            _monitor.PublishLowSpace(_space.Read());
            throw;
        }

        var recordingFormat = RecordingFormat.Parse(format ?? _context.Options.DefaultFormat);
        var (stem, folder) = _store.AllocateStem(FileKind.Recording, camera.Id);
        FileStore.EnsureWritable(folder); // a read-only or full disk is -32050 now, not a recorder that dies later
        var session = new RecordingSession(_context, camera, recordingFormat, duration, stem, folder);
        if (!_sessions.TryAdd(camera.Id, session))
        {
            throw new InvalidStateException($"camera '{camera.Id}' is already recording", "RECORDING", ["STOPPED"], "call stop_recording first");
        }

        try
        {
            // A recorder is a stream the node carries: it counts against limits.max_streams.
            _capacity.Acquire(camera.Id, Media.Capacity.CapacityPurpose.Recording);
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _sessions.TryRemove(new KeyValuePair<string, RecordingSession>(camera.Id, session));
            _capacity.Release(camera.Id, Media.Capacity.CapacityPurpose.Recording);
            throw;
        }

        // A recording that ends by itself (duration reached) frees its camera and its capacity for the next one.
        _ = session.Completion.ContinueWith(_ =>
        {
            _sessions.TryRemove(new KeyValuePair<string, RecordingSession>(camera.Id, session));
            _capacity.Release(camera.Id, Media.Capacity.CapacityPurpose.Recording);
        }, TaskScheduler.Default);
        return session;
    }

    public async Task<RecordingSummary> StopAsync(string device, string reason = "requested")
    {
        if (!_sessions.TryGetValue(device, out var session))
        {
            throw new InvalidStateException($"camera '{device}' is not recording", "STOPPED", ["RECORDING"], "call start_recording first");
        }

        var summary = await session.StopAsync(reason).ConfigureAwait(false);
        _sessions.TryRemove(new KeyValuePair<string, RecordingSession>(device, session));
        _capacity.Release(device, Media.Capacity.CapacityPurpose.Recording);
        return summary;
    }

    /// <summary>True for a file some recorder is still writing (never deleted, never listed).</summary>
    public bool IsBeingWritten(string fullPath) => _sessions.Values.Any(s => string.Equals(s.ActivePartialPath, fullPath, StringComparison.Ordinal));

    /// <summary>The running recording a segment belongs to, if any (its segments are not deleted while it runs).</summary>
    public RecordingSession? RunningOwnerOf(string fileName) => _sessions.Values.FirstOrDefault(s => s.Holds(fileName));

    public string? LatestFrame(string device, TimeSpan maxAge)
    {
        if (!_sessions.TryGetValue(device, out var session) || session.State != RecordingState.Recording || session.LatestFramePath is not { } path)
        {
            return null;
        }

        var info = new FileInfo(path);
        return info.Exists && info.Length > 0 && _context.Time.GetUtcNow() - info.LastWriteTimeUtc <= maxAge ? path : null;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _monitor.Blocked += OnStorageBlocked;

        // A service that died mid-recording may have left its recorders running: end them first, so nothing
        // they still write is renamed; then make the segments they left real files.
        var root = _store.FolderOf(FileKind.Recording);
        await new RecorderReaper(_context.Time, _logger).ReapAsync(root, TimeSpan.FromSeconds(_context.Options.StopTimeoutSeconds), cancellationToken).ConfigureAwait(false);
        foreach (var folder in _store.CameraFolders(FileKind.Recording))
        {
            var recovered = await _context.Segments.CompleteLeftoversAsync(folder.FullName, "*", cancellationToken).ConfigureAwait(false);
            if (recovered.Count > 0)
            {
                LogRecovered(_logger, recovered.Count, folder.Name);
            }
        }
    }

    /// <summary>Shutdown: every recorder gets SIGINT and is awaited, so the last segments are complete.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _monitor.Blocked -= OnStorageBlocked;
        await Task.WhenAll(_sessions.Keys.Select(device => StopQuietlyAsync(device, "shutdown"))).ConfigureAwait(false);
    }

    private void OnStorageBlocked(SpaceReading reading)
    {
        foreach (var device in _sessions.Keys)
        {
            LogStorageFull(_logger, device, reading.FreePercent);
            _ = StopQuietlyAsync(device, "storage_full");
        }
    }

    private async Task StopQuietlyAsync(string device, string reason)
    {
        try
        {
            await StopAsync(device, reason).ConfigureAwait(false);
        }
        catch (InvalidStateException)
        {
            // Already stopped by someone else.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Finalised {Count} segments of {Camera} left by an earlier run")]
    private static partial void LogRecovered(ILogger logger, int count, string camera);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping the recording of {Camera}: storage has only {FreePercent:0.##}% free")]
    private static partial void LogStorageFull(ILogger logger, string camera, double freePercent);
}
