using Microsoft.Extensions.Options;
using VideoSensor.Errors;

namespace VideoSensor.Media.Capacity;

/// <summary>
/// The one count of active pipelines against <c>limits.max_streams</c>, shared by the ingest supervisor and
/// the recorder. Holds are keyed by (device, purpose), so acquiring what is already held is a no-op and a
/// release never frees someone else's unit.
/// </summary>
internal sealed class CapacityTracker(IOptionsMonitor<LimitsOptions> options, TimeProvider time) : Platform.Registration.IStreamCapacity
{
    private readonly Dictionary<(string Device, string Purpose), CapacityHolder> _holders = [];
    private readonly Lock _gate = new();

    public int Limit => options.CurrentValue.MaxStreams;

    int Platform.Registration.IStreamCapacity.MaxStreams => Limit;

    int Platform.Registration.IStreamCapacity.ActiveStreams => InUse;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _holders.Count;
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
            if (_holders.Count >= limit)
            {
                throw Exceeded(limit);
            }

            _holders[(device, purpose)] = new CapacityHolder(device, purpose, time.GetUtcNow());
        }
    }

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
            Extra = new Dictionary<string, object?> { ["limit"] = limit, ["in_use"] = holders.Count, ["holders"] = holders },
        };
    }
}
