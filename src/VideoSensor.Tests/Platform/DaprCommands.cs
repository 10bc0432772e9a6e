using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace VideoSensor.Tests.Platform;

/// <summary>Delivers a command to the service as daprd does: a structured CloudEvent on <c>/dapr/commands</c>.</summary>
internal static class DaprCommands
{
    public static async Task<JsonElement> DeliverAsync(HttpClient http, string id, object command, CancellationToken ct)
    {
        var cloudEvent = new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = "aggregator",
            ["type"] = "io.daprcamera.command",
            ["datacontenttype"] = "application/json",
            ["topic"] = "videosensor.commands.sensor-a",
            ["pubsubname"] = "pubsub",
            ["data"] = command,
        };
        using var content = new StringContent(JsonSerializer.Serialize(cloudEvent), Encoding.UTF8, "application/cloudevents+json");
        using var response = await http.PostAsync("/dapr/commands", content, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }
}
