using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace VideoSensor.Media.MediaMtx;

/// <summary>The <c>media.mediamtx:</c> section: how the service runs and talks to MediaMTX.</summary>
internal sealed class MediaMtxOptions : IValidatableObject
{
    public const string Section = "media:mediamtx";

    /// <summary><c>managed</c> (the service runs it), <c>external</c> (one already runs) or <c>disabled</c>.</summary>
    [ConfigurationKeyName("mode"), RegularExpression("^(managed|external|disabled)$", ErrorMessage = "must be managed, external or disabled")]
    public string Mode { get; set; } = "managed";

    /// <summary>Path of the binary; a bare name is looked up on PATH (scripts/run.sh sets it from MEDIAMTX_BINARY).</summary>
    [ConfigurationKeyName("binary_path"), Required] public string BinaryPath { get; set; } = "mediamtx";

    /// <summary>host:port of the control API. Loopback only: the API can reconfigure every stream.</summary>
    [ConfigurationKeyName("api_address"), Required] public string ApiAddress { get; set; } = "127.0.0.1:9997";

    /// <summary>File name of the generated config, inside the state directory.</summary>
    [ConfigurationKeyName("config_file"), RegularExpression("^[A-Za-z0-9._-]+$", ErrorMessage = "must be a plain file name")]
    public string ConfigFile { get; set; } = "mediamtx.yml";

    [ConfigurationKeyName("restart_min_seconds"), Range(0.05, 60)] public double RestartMinSeconds { get; set; } = 1;
    [ConfigurationKeyName("restart_max_seconds"), Range(0.05, 600)] public double RestartMaxSeconds { get; set; } = 30;
    [ConfigurationKeyName("start_timeout_seconds"), Range(1, 300)] public int StartTimeoutSeconds { get; set; } = 15;
    [ConfigurationKeyName("reconcile_interval_seconds"), Range(1, 3600)] public int ReconcileIntervalSeconds { get; set; } = 30;

    /// <summary>Seconds without readers after which an on-demand ingest is stopped.</summary>
    [ConfigurationKeyName("auto_close_after"), Range(1, 86400)] public int AutoCloseAfter { get; set; } = 300;

    /// <summary>How long the service's own recorders and snapshots wait for an ingest they started to publish before reading the camera directly.</summary>
    [ConfigurationKeyName("publish_timeout_seconds"), Range(1, 120)] public int PublishTimeoutSeconds { get; set; } = 10;

    [ConfigurationKeyName("request_timeout_seconds"), Range(1, 120)] public int RequestTimeoutSeconds { get; set; } = 5;

    /// <summary>RTSP feeds are pulled by MediaMTX only while someone reads them.</summary>
    [ConfigurationKeyName("source_on_demand")] public bool SourceOnDemand { get; set; }

    /// <summary>Base URL MediaMTX calls for authentication; empty means the service's own port on loopback.</summary>
    [ConfigurationKeyName("auth_callback_url")] public string AuthCallbackUrl { get; set; } = "";

    public bool Managed => Mode == "managed";
    public bool Disabled => Mode == "disabled";
    /// <summary>A method, not a property: the config validator reads every property, also of an invalid address.</summary>
    public Uri ApiBaseUri() => new($"http://{ApiAddress}/");
    public TimeSpan RestartMin => TimeSpan.FromSeconds(RestartMinSeconds);
    public TimeSpan RestartMax => TimeSpan.FromSeconds(Math.Max(RestartMinSeconds, RestartMaxSeconds));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPEndPoint.TryParse(ApiAddress, out var endpoint) || endpoint.Port == 0 || !IPAddress.IsLoopback(endpoint.Address))
        {
            yield return new ValidationResult("must be a loopback address with a port, like 127.0.0.1:9997", [nameof(ApiAddress)]);
        }

        if (AuthCallbackUrl.Length > 0 && (!Uri.TryCreate(AuthCallbackUrl, UriKind.Absolute, out var uri) || !uri.IsLoopback || uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("must be an http URL on a loopback address", [nameof(AuthCallbackUrl)]);
        }
    }
}
