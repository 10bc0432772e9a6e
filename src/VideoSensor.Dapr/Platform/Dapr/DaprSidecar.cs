using System.Globalization;
using Dapr.Client;
using Microsoft.Extensions.Options;

using VideoSensor.Configuration;

namespace VideoSensor.Platform.Dapr;

/// <summary>
/// Whether this instance works with a sidecar, where it is, the one <see cref="DaprClient"/> for its gRPC API and the
/// one <see cref="HttpClient"/> for its HTTP API (actors).
/// Decided once at start: <c>disabled</c> never, <c>required</c> always (Dapr's default ports when nothing
/// says otherwise), <c>auto</c> when an endpoint is configured or DAPR_GRPC_PORT/DAPR_GRPC_ENDPOINT is set.
/// </summary>
internal sealed class DaprSidecar : IDisposable
{
    private readonly Lazy<DaprClient> _client;
    private readonly Lazy<HttpClient> _http;

    public DaprSidecar(IOptions<DaprOptions> options, Func<string, string?>? environment = null)
    {
        var o = options.Value;
        environment ??= Environment.GetEnvironmentVariable;
        Mode = o.Mode;
        GrpcEndpoint = Resolve(o.GrpcEndpoint, environment("DAPR_GRPC_ENDPOINT"), environment("DAPR_GRPC_PORT"), 50001);
        HttpEndpoint = Resolve(o.HttpEndpoint, environment("DAPR_HTTP_ENDPOINT"), environment("DAPR_HTTP_PORT"), 3500);
        var announced = o.GrpcEndpoint.Length > 0 || !string.IsNullOrEmpty(environment("DAPR_GRPC_ENDPOINT")) || !string.IsNullOrEmpty(environment("DAPR_GRPC_PORT"));
        IsActive = o.Mode switch
        {
            "disabled" => false,
            "required" => true,
            _ => announced,
        };
        AppId = o.AppId.Length > 0 ? o.AppId : environment("APP_ID") is { Length: > 0 } id ? id : "videosensor";
        InstanceId = o.InstanceId.Length > 0 ? o.InstanceId : Environment.MachineName;
        CallTimeout = TimeSpan.FromMilliseconds(o.CallTimeoutMs);
        ApiToken = environment("DAPR_API_TOKEN");
        AppApiToken = environment("APP_API_TOKEN");
        _client = new Lazy<DaprClient>(Build);
        _http = new Lazy<HttpClient>(BuildHttp);
    }

    public string Mode { get; }
    public bool IsActive { get; }
    public bool IsRequired => Mode == "required";
    public string GrpcEndpoint { get; }
    public string HttpEndpoint { get; }
    public string AppId { get; }
    public string InstanceId { get; }
    public TimeSpan CallTimeout { get; }

    /// <summary>The token the sidecar expects from this app (DAPR_API_TOKEN), if any.</summary>
    public string? ApiToken { get; }

    /// <summary>The token the sidecar sends to this app (APP_API_TOKEN): required on the command endpoint when set.</summary>
    public string? AppApiToken { get; }

    /// <summary>The client; only while <see cref="IsActive"/>.</summary>
    public DaprClient Client => IsActive ? _client.Value : throw new InvalidOperationException("Dapr is not active");

    /// <summary>
    /// The sidecar's HTTP API (base address <see cref="HttpEndpoint"/>, <c>dapr-api-token</c> sent when set); only while
    /// <see cref="IsActive"/>. Calls bound their time with <see cref="CallScope"/>.
    /// </summary>
    public HttpClient Http => IsActive ? _http.Value : throw new InvalidOperationException("Dapr is not active");

    /// <summary>A token that ends the call after the per-call timeout (or with the caller's).</summary>
    public CancellationTokenSource CallScope(CancellationToken cancellationToken)
    {
        var scope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        scope.CancelAfter(CallTimeout);
        return scope;
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }

        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
    }

    private DaprClient Build()
    {
        var builder = new DaprClientBuilder().UseGrpcEndpoint(GrpcEndpoint).UseHttpEndpoint(HttpEndpoint).UseTimeout(CallTimeout);
        if (!string.IsNullOrEmpty(ApiToken))
        {
            builder.UseDaprApiToken(ApiToken);
        }

        return builder.Build();
    }

    private HttpClient BuildHttp()
    {
        var http = new HttpClient { BaseAddress = new Uri(HttpEndpoint.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(ApiToken))
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("dapr-api-token", ApiToken);
        }

        return http;
    }

    private static string Resolve(string configured, string? endpoint, string? port, int defaultPort)
    {
        if (configured.Length > 0)
        {
            return configured;
        }

        if (!string.IsNullOrEmpty(endpoint))
        {
            return endpoint;
        }

        var p = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : defaultPort;
        return $"http://127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}";
    }
}
