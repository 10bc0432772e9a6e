using Microsoft.Extensions.Options;
using VideoSensor.Errors;

namespace VideoSensor.Media.Capacity;

/// <summary>
/// The one count of cameras with active video work against <c>limits.max_streams</c>, shared by the ingest
/// supervisor and the recorder. Holds are keyed by (device, purpose), so acquiring what is already held is a
/// no-op and a release never frees someone else's hold; a camera takes one slot however many purposes hold
/// it, because a recording reads the camera's stream through MediaMTX (one ingest, a stream-copying recorder).
/// </summary>
internal sealed class CapacityTracker(IOptionsMonitor<LimitsOptions> options, TimeProvider time) : IStreamCapacity
{
    private readonly Dictionary<(string Device, string Purpose), CapacityHolder> _holders = [];
    private readonly Lock _gate = new();

    public int Limit => options.CurrentValue.MaxStreams;

    int IStreamCapacity.MaxStreams => Limit;

    int IStreamCapacity.ActiveStreams => InUse;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return CamerasInUse();
            }
        }
    }

    /// <summary>The current holders, oldest first.</summary>
    public IReadOnlyList<CapacityHolder> Holders()
    {
        lock (_gate)
        {
            return [.. _holders.Values.OrderBy(h => h.Since).ThenBy(h => h.Device, StringComparer.Ordinal)];
        }
    }

    /// <summary>Takes one unit for <paramref name="device"/>/<paramref name="purpose"/>, or throws -32050 (dependency "capacity") naming the holders.</summary>
    public void Acquire(string device, string purpose)
    {
        lock (_gate)
        {
            if (_holders.ContainsKey((device, purpose)))
            {
                return;
            }

            var limit = Limit;
            if (!_holders.Keys.Any(k => k.Device == device) && CamerasInUse() >= limit)
            {
                throw Exceeded(limit);
            }

            _holders[(device, purpose)] = new CapacityHolder(device, purpose, time.GetUtcNow());
        }
    }

    private int CamerasInUse() => _holders.Keys.Select(k => k.Device).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Gives back a unit; releasing what is not held does nothing.</summary>
    public void Release(string device, string purpose)
    {
        lock (_gate)
        {
            _holders.Remove((device, purpose));
        }
    }

    private DependencyException Exceeded(int limit)
    {
        var holders = _holders.Values.OrderBy(h => h.Since).Select(h => new Dictionary<string, object?>
        {
            ["device"] = h.Device,
            ["purpose"] = h.Purpose,
            ["since"] = h.Since.UtcDateTime.ToString("O"),
        }).ToList();
        return new DependencyException("capacity", $"all {limit} stream slots are in use (limits.max_streams)", "stop a stream or recording listed in holders, or raise limits.max_streams if the hardware allows")
        {
            Extra = new Dictionary<string, object?> { ["limit"] = limit, ["in_use"] = CamerasInUse(), ["holders"] = holders },
        };
    }
}
