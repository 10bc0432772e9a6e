using VideoSensor.Configuration.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using VideoSensor.Configuration;

namespace VideoSensor.Hosting;

/// <summary>Console logging: one line per entry (text) or one JSON object per entry, UTC timestamps.</summary>
internal static class SensorLogging
{
    public static void Configure(ILoggingBuilder logging, LoggingOptions options)
    {
        logging.ClearProviders();
        var level = Enum.Parse<LogLevel>(options.Level);
        logging.SetMinimumLevel(level);
        // Framework chatter stays at warnings unless the service itself is being debugged.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        // Request lines carry query strings, and `?token=` is a credential: never log them.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
        if (options.Format == "json")
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    }
}
