using Microsoft.Extensions.Logging;

namespace VideoSensor.Events;

/// <summary>Stamps each event with the time and fans it out to every registered sink; a failing sink never stops the others.</summary>
internal sealed partial class EventHub(IEnumerable<IEventSink> sinks, TimeProvider time, ILogger<EventHub> logger)
{
    private readonly IEventSink[] _sinks = [.. sinks];

    public void Publish(SensorEvent sensorEvent)
    {
        var stamped = sensorEvent with { Time = time.GetUtcNow() };
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Publish(stamped);
            }
            catch (Exception ex)
            {
                LogSinkFailed(logger, ex, sink.GetType().Name, stamped.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event sink {Sink} failed on {Event}")]
    private static partial void LogSinkFailed(ILogger logger, Exception ex, string sink, string @event);
}
