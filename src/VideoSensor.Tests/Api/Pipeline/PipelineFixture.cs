using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VideoSensor.Api.JsonRpc;
using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Contracts;
using VideoSensor.Requests;
using VideoSensor.Security;

namespace VideoSensor.Tests.Api.Pipeline;

/// <summary>A small method group for the pipeline's unit tests: one public method, one per role, one with params.</summary>
internal sealed partial class PipelineTestMethods : IRpcMethodGroup
{
    /// <summary>The last params object a method received, to see that it is the one the params step bound.</summary>
    public object? LastRequest { get; private set; }

    [PublicRpcMethod("hello", "Anyone may call it.")]
    public string Hello() => "hi";

    [RpcMethod("look", Role.Viewer, "Viewers may call it.")]
    public string Look() => "looked";

    [RpcMethod("change", Role.Operator, "Operators may call it.")]
    public async Task<EchoResult> ChangeAsync(EchoParams request, CancellationToken cancellationToken)
    {
        LastRequest = request;
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return new EchoResult(request.Device, request.Count ?? 1);
    }

    [RpcMethod("configure", Role.Admin, "Admins may call it.")]
    public void Configure()
    {
    }
}

/// <summary><c>{device, count?: 1–10, tags?: [string]}</c>.</summary>
internal sealed class EchoParams : IValidatedRequest
{
    public required string Device { get; init; }
    public int? Count { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }

    public void Validate()
    {
        RequestRules.Device(Device);
        RequestRules.Range(Count, 1, 10, "count");
    }
}

internal sealed record EchoResult(string Device, int Count);

/// <summary>The test group's types, with the service's JSON settings (<see cref="VideoSensor.Api.Json.HostJsonContext"/>'s).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    System.Text.Json.JsonSerializerDefaults.Web,
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    MaxDepth = 32)]
[System.Text.Json.Serialization.JsonSerializable(typeof(EchoParams))]
[System.Text.Json.Serialization.JsonSerializable(typeof(EchoResult))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class PipelineTestJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>A pipeline over <see cref="PipelineTestMethods"/> with a budget of <c>burst</c> messages and time held still.</summary>
internal sealed class PipelineFixture
{
    public PipelineFixture(int burst = 100, Role? role = null)
    {
        Catalog = new RpcMethodCatalog([RpcMethodGroupRegistration.For<PipelineTestMethods>()], PipelineTestJson.Default.Options);
        Session = new RpcSession("client-test", Time);
        if (role is { } r)
        {
            Session.SignIn(new AuthenticatedUser("tester", r, Time.GetUtcNow().AddHours(1), "jwt"));
        }

        Pipeline = new RpcPipeline(new ShapeCheck(Catalog, 4096), new RateCheck(new TokenBucket(1, burst, Time)), Session, NullLogger.Instance);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    public RpcMethodCatalog Catalog { get; }
    public RpcSession Session { get; }
    public RpcPipeline Pipeline { get; }

    public Admission Admit(string json) => Pipeline.Admit(FrameKind.Text, Encoding.UTF8.GetBytes(json));

    public RpcMethodInfo Method(string name) => Catalog.TryGet(name, out var method) ? method : throw new KeyNotFoundException(name);
}
