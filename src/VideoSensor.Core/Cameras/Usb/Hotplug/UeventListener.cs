using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace VideoSensor.Cameras.Usb.Hotplug;

/// <summary>What the listener hands on: a video4linux uevent, or word that some were lost.</summary>
internal sealed record UeventSignal(Uevent? Event, bool Overflow, long ReceivedTimestamp);

/// <summary>
/// Receives uevents on a dedicated thread blocked in poll (no timer, no thread-pool hop before the
/// channel), keeps the <c>video4linux</c> ones and queues them for the watcher.
/// </summary>
internal sealed partial class UeventListener(ILogger logger) : IDisposable
{
    private readonly Channel<UeventSignal> _signals = Channel.CreateBounded<UeventSignal>(
        new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest });

    private NetlinkUeventSocket? _socket;
    private Thread? _thread;
    private volatile bool _stopping;

    public ChannelReader<UeventSignal> Signals => _signals.Reader;

    /// <summary>Subscribes to kernel and udev uevents; false (logged) when the socket cannot be opened.</summary>
    public bool TryStart()
    {
        try
        {
            _socket = NetlinkUeventSocket.Open(NetlinkAddress.Mask(NetlinkAddress.KernelGroup) | NetlinkAddress.Mask(NetlinkAddress.UdevGroup));
        }
        catch (IOException ex)
        {
            LogNoNetlink(logger, ex.Message);
            return false;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "uevent-listener" };
        _thread.Start();
        return true;
    }

    private void Run()
    {
        var buffer = new byte[16 * 1024];
        while (!_stopping)
        {
            int length;
            NetlinkAddress sender;
            try
            {
                length = _socket!.Receive(buffer, out sender);
            }
            catch (IOException ex)
            {
                LogReceiveFailed(logger, ex.Message);
                break;
            }

            if (length < 0)
            {
                _signals.Writer.TryWrite(new UeventSignal(null, true, Stopwatch.GetTimestamp()));
                continue;
            }

            if (length == 0 || !Trusted(sender))
            {
                continue;
            }

            if (UeventParser.Parse(buffer.AsSpan(0, length)) is { Subsystem: Uevent.VideoSubsystem } uevent)
            {
                _signals.Writer.TryWrite(new UeventSignal(uevent, false, Stopwatch.GetTimestamp()));
            }
        }

        _signals.Writer.TryComplete();
    }

    /// <summary>
    /// Kernel messages come from port 0; udevd's and test injections arrive by multicast, which the kernel
    /// allows only with CAP_NET_ADMIN. A unicast from another process (any user may send one) is not trusted.
    /// </summary>
    internal static bool Trusted(NetlinkAddress sender) => sender.PortId == 0 || sender.Groups != 0;

    public void Dispose()
    {
        _stopping = true;
        _socket?.Wake();
        _thread?.Join(TimeSpan.FromSeconds(2));
        _socket?.Dispose();
        _socket = null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "USB hot-plug listener unavailable ({Reason}); relying on the periodic rescan")]
    private static partial void LogNoNetlink(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "USB hot-plug listener stopped: {Reason}; relying on the periodic rescan")]
    private static partial void LogReceiveFailed(ILogger logger, string reason);
}
