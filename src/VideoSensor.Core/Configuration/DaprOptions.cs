using VideoSensor.FeedOwnership;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Configuration;

/// <summary>The <c>dapr:</c> section: whether a sidecar is used and which of its components.</summary>
internal sealed class DaprOptions
{
    public const string Section = "dapr";

    /// <summary><c>auto</c> (a sidecar when DAPR_GRPC_PORT/DAPR_GRPC_ENDPOINT or <see cref="GrpcEndpoint"/> is set), <c>required</c> or <c>disabled</c>.</summary>
    [ConfigurationKeyName("mode"), RegularExpression("^(auto|required|disabled)$", ErrorMessage = "must be auto, required or disabled")]
    public string Mode { get; set; } = "auto";

    /// <summary>The sidecar's gRPC endpoint (e.g. http://127.0.0.1:50001); empty = DAPR_GRPC_ENDPOINT / DAPR_GRPC_PORT.</summary>
    [ConfigurationKeyName("grpc_endpoint")] public string GrpcEndpoint { get; set; } = "";

    /// <summary>The sidecar's HTTP endpoint; empty = DAPR_HTTP_ENDPOINT / DAPR_HTTP_PORT.</summary>
    [ConfigurationKeyName("http_endpoint")] public string HttpEndpoint { get; set; } = "";

    /// <summary>This app's Dapr app-id; empty = APP_ID from the environment, else "videosensor".</summary>
    [ConfigurationKeyName("app_id"), RegularExpression("^$|^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", ErrorMessage = "must be a DNS label (lower-case letters, digits, '-')")]
    public string AppId { get; set; } = "";

    /// <summary>This instance's id in registrations; empty = the host name.</summary>
    [ConfigurationKeyName("instance_id")] public string InstanceId { get; set; } = "";

    [ConfigurationKeyName("pubsub_name"), Required] public string PubSubName { get; set; } = "pubsub";

    /// <summary>Put before every event topic: <c>videosensor.</c> + <c>camera.connected</c>.</summary>
    [ConfigurationKeyName("topic_prefix"), RegularExpression("^[A-Za-z0-9._-]*$", ErrorMessage = "must be letters, digits, '.', '_' or '-'")]
    public string TopicPrefix { get; set; } = "videosensor.";

    /// <summary>The commands topic; <c>{app_id}</c> and <c>{instance_id}</c> are replaced. Empty = no command subscription.</summary>
    [ConfigurationKeyName("commands_topic")] public string CommandsTopic { get; set; } = "videosensor.commands.{app_id}";

    /// <summary>
    /// This instance's own commands topic (<c>{app_id}</c>, <c>{instance_id}</c> replaced). Every instance of an app id
    /// shares one consumer group on <see cref="CommandsTopic"/>, so a command lands on any one of them; one for an RTSP
    /// feed another instance ingests is passed on to that instance's topic. Empty = no passing on.
    /// </summary>
    [ConfigurationKeyName("instance_commands_topic")] public string InstanceCommandsTopic { get; set; } = "videosensor.commands.{app_id}.{instance_id}";

    /// <summary>Where Dapr moves commands the service dropped (invalid, unsupported) or could not take.</summary>
    [ConfigurationKeyName("commands_dead_letter_topic")] public string CommandsDeadLetterTopic { get; set; } = "videosensor.commands.deadletter";

    /// <summary>The secret store used for every <c>{secret, key}</c> reference while Dapr is active.</summary>
    [ConfigurationKeyName("secret_store"), Required] public string SecretStore { get; set; } = "secretstore";

    /// <summary>How long a resolved secret is reused before asking the store again (0 = every time).</summary>
    [ConfigurationKeyName("secret_cache_seconds"), Range(0, 300)] public int SecretCacheSeconds { get; set; } = 10;

    /// <summary>The configuration store for live settings; empty = none.</summary>
    [ConfigurationKeyName("configuration_store")] public string ConfigurationStore { get; set; } = "configstore";

    /// <summary>Keys to read and subscribe to (e.g. <c>cameras.rtsp</c>); empty = every key of the store.</summary>
    [ConfigurationKeyName("configuration_keys")] public List<string> ConfigurationKeys { get; set; } = [];

    [ConfigurationKeyName("heartbeat_seconds"), Range(1, 3600)] public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>How often the sidecar is checked while it answers (and while it does not).</summary>
    [ConfigurationKeyName("probe_seconds"), Range(1, 300)] public int ProbeSeconds { get; set; } = 5;

    /// <summary>Events kept while the sidecar is away; the oldest are dropped past this.</summary>
    [ConfigurationKeyName("buffer_size"), Range(1, 1_000_000)] public int BufferSize { get; set; } = 1000;

    /// <summary>The timeout of every call to the sidecar.</summary>
    [ConfigurationKeyName("call_timeout_ms"), Range(50, 60_000)] public int CallTimeoutMs { get; set; } = 3000;

    /// <summary>
    /// Decide which instance ingests each RTSP feed through the <c>RtspFeedOwner</c> actor (false = every instance
    /// ingests its feeds). Opt-in: with a sidecar but no placement service (a single instance, <c>dapr init --slim</c>)
    /// feeds would wait for an actor that never answers; the Kubernetes manifests, where replicas share feeds, turn it on.
    /// </summary>
    [ConfigurationKeyName("feed_ownership")] public bool FeedOwnership { get; set; }

    /// <summary>How long a feed's lease lasts without renewal (renewed every third of it): the longest a dead owner keeps a feed.</summary>
    [ConfigurationKeyName("feed_lease_seconds"), Range(1, 600)] public int FeedLeaseSeconds { get; set; } = 15;

}
