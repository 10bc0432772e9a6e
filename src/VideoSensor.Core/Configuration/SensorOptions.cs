using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration;

/// <summary>The whole configuration file; each section is also bound on its own as options.</summary>
internal sealed class SensorOptions
{
    [ConfigurationKeyName("server")] public ServerOptions Server { get; set; } = new();
    [ConfigurationKeyName("security")] public Security.SecurityOptions Security { get; set; } = new();
    [ConfigurationKeyName("cameras")] public Cameras.CamerasOptions Cameras { get; set; } = new();
    [ConfigurationKeyName("storage")] public Storage.StorageOptions Storage { get; set; } = new();
    [ConfigurationKeyName("recording")] public Recording.RecordingOptions Recording { get; set; } = new();
    [ConfigurationKeyName("media")] public Media.MediaOptions Media { get; set; } = new();
    [ConfigurationKeyName("secrets")] public Secrets.SecretsOptions Secrets { get; set; } = new();
    [ConfigurationKeyName("dapr")] public DaprOptions Dapr { get; set; } = new();
    [ConfigurationKeyName("discovery")] public Cameras.Discovery.DiscoveryOptions Discovery { get; set; } = new();
    [ConfigurationKeyName("logging")] public LoggingOptions Logging { get; set; } = new();
    [ConfigurationKeyName("limits")] public Media.Capacity.LimitsOptions Limits { get; set; } = new();
    [ConfigurationKeyName("console")] public ConsoleOptions WebConsole { get; set; } = new();
}

/// <summary>The service's listening sockets and control-plane limits.</summary>
internal sealed class ServerOptions
{
    public const string Section = "server";

    [ConfigurationKeyName("bind_address"), Required] public string BindAddress { get; set; } = "0.0.0.0";
    [ConfigurationKeyName("port"), Range(1, 65535)] public int Port { get; set; } = 8002;
    /// <summary>Second port for health and /files (older clients download from it); 0 turns it off.</summary>
    [ConfigurationKeyName("health_port"), Range(0, 65535)] public int HealthPort { get; set; } = 8003;
    /// <summary>Host name put into stream and download URLs handed to clients; empty means the machine's host name.</summary>
    [ConfigurationKeyName("public_host")] public string PublicHost { get; set; } = "";
    [ConfigurationKeyName("websocket_path"), RegularExpression("^/[A-Za-z0-9/_-]*$")] public string WebSocketPath { get; set; } = "/ws";
    [ConfigurationKeyName("max_message_bytes"), Range(1024, 64 * 1024 * 1024)] public int MaxMessageBytes { get; set; } = 1024 * 1024;
    [ConfigurationKeyName("max_connections"), Range(1, 100_000)] public int MaxConnections { get; set; } = 1000;
    [ConfigurationKeyName("rate_limit_per_second"), Range(1, 1_000_000)] public int RateLimitPerSecond { get; set; } = 100;
    [ConfigurationKeyName("rate_limit_burst"), Range(1, 1_000_000)] public int RateLimitBurst { get; set; } = 200;
    [ConfigurationKeyName("keep_alive_seconds"), Range(1, 3600)] public int KeepAliveSeconds { get; set; } = 30;
    [ConfigurationKeyName("notification_queue"), Range(8, 100_000)] public int NotificationQueue { get; set; } = 256;
    [ConfigurationKeyName("shutdown_timeout_seconds"), Range(1, 300)] public int ShutdownTimeoutSeconds { get; set; } = 20;
}

/// <summary>Log output shape.</summary>
internal sealed class LoggingOptions
{
    public const string Section = "logging";

    [ConfigurationKeyName("format"), RegularExpression("^(text|json)$", ErrorMessage = "must be text or json")]
    public string Format { get; set; } = "text";

    [ConfigurationKeyName("level"), RegularExpression("^(Trace|Debug|Information|Warning|Error|Critical)$", ErrorMessage = "must be Trace, Debug, Information, Warning, Error or Critical")]
    public string Level { get; set; } = "Information";
}
