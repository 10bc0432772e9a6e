using System.Text.Json;
using StackExchange.Redis;
using VideoSensor.Tests.Fixtures.Dapr;

namespace VideoSensor.Tests.Platform.RealDapr;

/// <summary>Reads Dapr topics straight from Redis: pubsub.redis keeps each topic as a stream whose entries hold the CloudEvent in field <c>data</c>.</summary>
internal static class RedisStreams
{
    public static async Task<List<JsonElement>> CloudEventsAsync(RedisServer redis, string topic)
    {
        var entries = await redis.Db().StreamRangeAsync(topic);
        return [.. entries.Select(Parse)];
    }

    /// <summary>Waits for a CloudEvent on <paramref name="topic"/> matching <paramref name="match"/>, polling the stream.</summary>
    public static async Task<JsonElement> WaitForAsync(RedisServer redis, string topic, Func<JsonElement, bool> match, CancellationToken ct, Func<string>? context = null)
    {
        try
        {
            while (true)
            {
                // Redis Streams have no push for a reader outside a consumer group; this is the one poll.
                foreach (var cloudEvent in await CloudEventsAsync(redis, topic))
                {
                    if (match(cloudEvent))
                    {
                        return cloudEvent;
                    }
                }

                await Task.Delay(100, ct);
            }
        }
        catch (OperationCanceledException)
        {
            var seen = await CloudEventsAsync(redis, topic);
            Assert.Fail($"no matching CloudEvent in Redis stream {topic} ({seen.Count} entries: {string.Join(" | ", seen.Select(e => e.GetRawText()[..Math.Min(300, e.GetRawText().Length)]))})\n{context?.Invoke()}");
            throw;
        }
    }

    private static JsonElement Parse(StreamEntry entry)
    {
        var data = entry.Values.FirstOrDefault(v => v.Name == "data").Value;
        Assert.False(data.IsNull, $"stream entry {entry.Id} has no 'data' field: {string.Join(",", entry.Values.Select(v => v.Name))}");
        using var document = JsonDocument.Parse((string)data!);
        return document.RootElement.Clone();
    }
}
