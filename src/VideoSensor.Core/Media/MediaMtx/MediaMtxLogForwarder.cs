using System.Text.Json;
using Microsoft.Extensions.Logging;
using VideoSensor.Security;

namespace VideoSensor.Media.MediaMtx;

/// <summary>Puts MediaMTX's output lines into the service log with their level, credentials masked.</summary>
internal sealed partial class MediaMtxLogForwarder(SecretRedactor redactor, ILogger<MediaMtxLogForwarder> logger)
{
    public void Forward(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        var (level, text) = Parse(line);
        Log(logger, level, redactor.Redact(text));
    }

    /// <summary>A JSON line (logStructured) gives level and message; anything else is logged as is.</summary>
    internal static (LogLevel Level, string Text) Parse(string line)
    {
        if (line.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var level = Field(root, "level");
                var message = Field(root, "message") ?? Field(root, "msg") ?? line;
                return (LevelOf(level), message);
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through and log it raw.
            }
        }

        return (LevelOf(line.Contains(" ERR ", StringComparison.Ordinal) ? "error" : line.Contains(" WAR ", StringComparison.Ordinal) ? "warn" : "info"), line);
    }

    private static string? Field(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static LogLevel LevelOf(string? level) => level?.ToUpperInvariant() switch
    {
        "ERROR" or "ERR" => LogLevel.Error,
        "WARN" or "WAR" or "WARNING" => LogLevel.Warning,
        "DEBUG" or "DEB" => LogLevel.Debug,
        _ => LogLevel.Information,
    };

    [LoggerMessage(Message = "mediamtx: {Line}")]
    private static partial void Log(ILogger logger, LogLevel level, string line);
}
