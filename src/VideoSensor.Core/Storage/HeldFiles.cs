namespace VideoSensor.Storage;

/// <summary>
/// Stored files that must not be deleted by retention yet: the finished segments of a running recording, which its
/// summary (<c>stop_recording</c>, <c>recording.stop</c>) will name. Whoever runs recordings registers how to tell;
/// once the recording ends its segments are ordinary files again.
/// </summary>
internal sealed class HeldFiles
{
    private readonly List<Func<string, bool>> _holders = [];

    public void Add(Func<string, bool> holds)
    {
        lock (_holders)
        {
            _holders.Add(holds);
        }
    }

    public bool IsHeld(string fileName)
    {
        lock (_holders)
        {
            return _holders.Any(holds => holds(fileName));
        }
    }
}
