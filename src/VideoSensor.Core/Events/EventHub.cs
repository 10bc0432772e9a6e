using Microsoft.Extensions.Logging;

namespace VideoSensor.Events;

/// <summary>Fans each event out to every registered sink; a failing sink never stops the others.</summary>
internal sealed partial class EventHub(IEnumerable<IEventSink> sinks, TimeProvider time, ILogger<EventHub> logger)
{
    private readonly IEventSink[] _sinks = [.. sinks];

    public void Publish(string topic, string? device, IReadOnlyDictionary<string, object?> data)
    {
        var sensorEvent = new SensorEvent(topic, device, time.GetUtcNow(), data);
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Publish(sensorEvent);
            }
            catch (Exception ex)
            {
                LogSinkFailed(logger, ex, sink.GetType().Name, topic);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event sink {Sink} failed on {Topic}")]
    private static partial void LogSinkFailed(ILogger logger, Exception ex, string sink, string topic);
}
