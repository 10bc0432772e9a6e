using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Platform;

/// <summary>
/// A Dapr sidecar double over real gRPC: Kestrel (HTTP/2, cleartext) on a free loopback port serving the
/// <c>dapr.proto.runtime.v1.Dapr</c> methods the service calls, with the request and response messages
/// shipped in Dapr.Protos. It answers as daprd does: unknown components are InvalidArgument, a missing
/// secret is an error, a CloudEvents payload must be a JSON object with the required attributes.
/// Stop and start it to simulate a sidecar outage (same port). Given a <see cref="FakeActorPlacement"/> it
/// also serves Dapr's HTTP actor API on <see cref="HttpEndpoint"/> (see <see cref="FakeDaprActorApi"/>).
/// </summary>
public sealed class FakeDaprSidecar : IAsyncDisposable
{
    private WebApplication? _app;

    private FakeDaprSidecar(int port, FakeActorPlacement? placement)
    {
        Port = port;
        Placement = placement;
        HttpPort = placement is null ? 0 : FreePort.Next();
    }

    public int Port { get; }
    public string GrpcEndpoint => $"http://127.0.0.1:{Port}";
    public FakeDaprState State { get; } = new();

    /// <summary>The cluster this sidecar's actors live in (shared with the other sidecars of the app), or null.</summary>
    public FakeActorPlacement? Placement { get; }

    /// <summary>The HTTP API port (actors), 0 without a placement.</summary>
    public int HttpPort { get; }
    public string HttpEndpoint => $"http://127.0.0.1:{HttpPort}";

    /// <summary>This sidecar's host name in the placement table.</summary>
    public string Name => $"sidecar-{Port}";

    /// <summary>The app this sidecar serves (where it calls <c>/dapr/config</c> and <c>/actors/…</c>).</summary>
    public Uri? AppUri { get; private set; }

    public static async Task<FakeDaprSidecar> StartAsync(FakeActorPlacement? placement = null)
    {
        var sidecar = new FakeDaprSidecar(FreePort.Next(), placement);
        await sidecar.ResumeAsync();
        return sidecar;
    }

    /// <summary>Points the sidecar at its app and registers the app's actor types, as daprd does once the app listens.</summary>
    public async Task ConnectAppAsync(Uri app, CancellationToken cancellationToken)
    {
        AppUri = app;
        await FakeDaprActorApi.RegisterAppAsync(this, cancellationToken);
    }

    /// <summary>(Re)starts serving on the same port.</summary>
    public async Task ResumeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Port, o => o.Protocols = HttpProtocols.Http2);
            if (Placement is not null)
            {
                k.Listen(IPAddress.Loopback, HttpPort, o => o.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(State);
        _app = builder.Build();
        _app.MapGrpcService<FakeDaprService>();
        if (Placement is not null)
        {
            FakeDaprActorApi.Map(_app, this);
        }

        await _app.StartAsync();
    }

    /// <summary>The sidecar goes away: the port closes and open streams end.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            // The host leaves the cluster: its actors are placed elsewhere on their next call.
            Placement?.Unregister(Name);
            State.EndStreams();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>What the fake sidecar holds and what it was sent.</summary>
public sealed class FakeDaprState
{
    private readonly Lock _publishedGate = new();
    private readonly List<(PublishEventRequest Request, JsonElement CloudEvent)> _publishedList = [];
    private TaskCompletionSource _publishedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Guid, Channel<SubscribeConfigurationResponse>> _streams = new();

    public string AppId { get; set; } = "videosensor";
    public HashSet<string> PubSubs { get; } = ["pubsub"];
    public ConcurrentDictionary<string, ConcurrentDictionary<string, Dictionary<string, string>>> SecretStores { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, ConcurrentDictionary<string, ConfigurationItem>> ConfigurationStores { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<GetSecretRequest> SecretRequests { get; } = new();
    public int ActiveSubscriptions => _streams.Count;

    public ConcurrentDictionary<string, Dictionary<string, string>> SecretStore(string name) =>
        SecretStores.GetOrAdd(name, _ => new ConcurrentDictionary<string, Dictionary<string, string>>(StringComparer.Ordinal));

    public ConcurrentDictionary<string, ConfigurationItem> ConfigurationStore(string name) =>
        ConfigurationStores.GetOrAdd(name, _ => new ConcurrentDictionary<string, ConfigurationItem>(StringComparer.Ordinal));

    /// <summary>Every event published so far, in arrival order, as (request, parsed CloudEvent).</summary>
    public IReadOnlyList<(PublishEventRequest Request, JsonElement CloudEvent)> Published
    {
        get
        {
            lock (_publishedGate)
            {
                return [.. _publishedList];
            }
        }
    }

    /// <summary>Waits for a published CloudEvent that matches (already there or still to come).</summary>
    public async Task<(PublishEventRequest Request, JsonElement CloudEvent)> WaitForAsync(Func<JsonElement, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_publishedGate)
            {
                foreach (var item in _publishedList)
                {
                    if (match(item.CloudEvent))
                    {
                        return item;
                    }
                }

                signal = _publishedSignal.Task;
            }

            await signal.WaitAsync(cancellationToken);
        }
    }

    public Task<(PublishEventRequest Request, JsonElement CloudEvent)> WaitForTypeAsync(string type, CancellationToken cancellationToken, string? subject = null) =>
        WaitForAsync(e => e.GetProperty("type").GetString() == type && (subject is null || (e.TryGetProperty("subject", out var s) && s.GetString() == subject)), cancellationToken);

    /// <summary>Sets a configuration item and pushes it to every open subscription, as the Redis store does.</summary>
    public void SetConfiguration(string store, string key, string value)
    {
        var item = new ConfigurationItem { Value = value, Version = DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        ConfigurationStore(store)[key] = item;
        foreach (var stream in _streams.Values)
        {
            var update = new SubscribeConfigurationResponse { Id = "sub" };
            update.Items.Add(key, item);
            stream.Writer.TryWrite(update);
        }
    }

    internal void Record(PublishEventRequest request)
    {
        var cloudEvent = JsonDocument.Parse(request.Data.Memory).RootElement.Clone();
        TaskCompletionSource signal;
        lock (_publishedGate)
        {
            _publishedList.Add((request, cloudEvent));
            signal = _publishedSignal;
            _publishedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    internal (Guid Id, ChannelReader<SubscribeConfigurationResponse> Reader) OpenStream()
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateUnbounded<SubscribeConfigurationResponse>();
        _streams[id] = channel;
        return (id, channel.Reader);
    }

    internal void CloseStream(Guid id) => _streams.TryRemove(id, out _);

    internal void EndStreams()
    {
        foreach (var stream in _streams.Values)
        {
            stream.Writer.TryComplete();
        }

        _streams.Clear();
    }
}

/// <summary>
/// The gRPC service: methods named as in dapr.proto, bound with the Dapr.Protos message types. Dapr.Protos
/// ships only the client, so the binding is written here; Grpc.AspNetCore binds public virtual methods
/// declared by the type that owns BindService, hence virtual.
/// </summary>
[BindServiceMethod(typeof(FakeDaprService), nameof(BindService))]
public class FakeDaprService(FakeDaprState state)
{
    private const string Service = "dapr.proto.runtime.v1.Dapr";

    public static void BindService(ServiceBinderBase binder, FakeDaprService? service)
    {
        binder.AddMethod(Unary<PublishEventRequest, Empty>("PublishEvent"), (UnaryServerMethod<PublishEventRequest, Empty>?)null);
        binder.AddMethod(Unary<GetSecretRequest, GetSecretResponse>("GetSecret"), (UnaryServerMethod<GetSecretRequest, GetSecretResponse>?)null);
        binder.AddMethod(Unary<GetConfigurationRequest, GetConfigurationResponse>("GetConfiguration"), (UnaryServerMethod<GetConfigurationRequest, GetConfigurationResponse>?)null);
        binder.AddMethod(Unary<UnsubscribeConfigurationRequest, UnsubscribeConfigurationResponse>("UnsubscribeConfiguration"), (UnaryServerMethod<UnsubscribeConfigurationRequest, UnsubscribeConfigurationResponse>?)null);
        binder.AddMethod(Unary<GetMetadataRequest, GetMetadataResponse>("GetMetadata"), (UnaryServerMethod<GetMetadataRequest, GetMetadataResponse>?)null);
        binder.AddMethod(
            new Method<SubscribeConfigurationRequest, SubscribeConfigurationResponse>(MethodType.ServerStreaming, Service, "SubscribeConfiguration", Marshaller(SubscribeConfigurationRequest.Parser), Marshaller(SubscribeConfigurationResponse.Parser)),
            (ServerStreamingServerMethod<SubscribeConfigurationRequest, SubscribeConfigurationResponse>?)null);
    }

    public virtual Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        if (!state.PubSubs.Contains(request.PubsubName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"pubsub {request.PubsubName} not found"));
        }

        if (string.IsNullOrEmpty(request.Topic))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "topic is empty in pubsub " + request.PubsubName));
        }

        if (request.DataContentType == "application/cloudevents+json")
        {
            // daprd parses a CloudEvents payload and rejects one that is not a JSON object with the required attributes.
            try
            {
                using var doc = JsonDocument.Parse(request.Data.Memory);
                foreach (var attribute in new[] { "specversion", "id", "source", "type" })
                {
                    if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(attribute, out var v) || v.ValueKind != JsonValueKind.String || v.GetString()!.Length == 0)
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument, $"cloudevent is missing {attribute}"));
                    }
                }
            }
            catch (JsonException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "error when unmarshalling the cloud event: " + ex.Message));
            }
        }

        state.Record(request);
        return Task.FromResult(new Empty());
    }

    public virtual Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context)
    {
        state.SecretRequests.Enqueue(request);
        if (!state.SecretStores.TryGetValue(request.StoreName, out var store))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"failed finding secret store with key {request.StoreName}"));
        }

        if (!store.TryGetValue(request.Key, out var values))
        {
            throw new RpcException(new Status(StatusCode.Internal, $"failed getting secret with key {request.Key} from secret store {request.StoreName}: secret not found"));
        }

        var response = new GetSecretResponse();
        response.Data.Add(values);
        return Task.FromResult(response);
    }

    public virtual Task<GetConfigurationResponse> GetConfiguration(GetConfigurationRequest request, ServerCallContext context)
    {
        if (!state.ConfigurationStores.TryGetValue(request.StoreName, out var store))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"configuration store {request.StoreName} not found"));
        }

        var response = new GetConfigurationResponse();
        foreach (var (key, item) in store)
        {
            if (request.Keys.Count == 0 || request.Keys.Contains(key))
            {
                response.Items.Add(key, item);
            }
        }

        return Task.FromResult(response);
    }

    public virtual async Task SubscribeConfiguration(SubscribeConfigurationRequest request, IServerStreamWriter<SubscribeConfigurationResponse> responseStream, ServerCallContext context)
    {
        if (!state.ConfigurationStores.ContainsKey(request.StoreName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"configuration store {request.StoreName} not found"));
        }

        var (id, reader) = state.OpenStream();
        try
        {
            // daprd first sends the subscription id with no items.
            await responseStream.WriteAsync(new SubscribeConfigurationResponse { Id = id.ToString() });
            await foreach (var update in reader.ReadAllAsync(context.CancellationToken))
            {
                if (request.Keys.Count == 0 || update.Items.Keys.Any(request.Keys.Contains))
                {
                    await responseStream.WriteAsync(update);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            state.CloseStream(id);
        }
    }

    public virtual Task<UnsubscribeConfigurationResponse> UnsubscribeConfiguration(UnsubscribeConfigurationRequest request, ServerCallContext context) =>
        Task.FromResult(new UnsubscribeConfigurationResponse { Ok = true });

    public virtual Task<GetMetadataResponse> GetMetadata(GetMetadataRequest request, ServerCallContext context)
    {
        var response = new GetMetadataResponse { Id = state.AppId };
        foreach (var pubsub in state.PubSubs)
        {
            response.RegisteredComponents.Add(new RegisteredComponents { Name = pubsub, Type = "pubsub.redis", Version = "v1" });
        }

        foreach (var store in state.SecretStores.Keys)
        {
            response.RegisteredComponents.Add(new RegisteredComponents { Name = store, Type = "secretstores.local.file", Version = "v1" });
        }

        foreach (var store in state.ConfigurationStores.Keys)
        {
            response.RegisteredComponents.Add(new RegisteredComponents { Name = store, Type = "configuration.redis", Version = "v1" });
        }

        return Task.FromResult(response);
    }

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        new(MethodType.Unary, Service, name, Marshaller(new MessageParser<TRequest>(() => new TRequest())), Marshaller(new MessageParser<TResponse>(() => new TResponse())));

    private static Marshaller<T> Marshaller<T>(MessageParser<T> parser)
        where T : IMessage<T> => Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
}
