using VideoSensor.Api.JsonRpc.Pipeline;
using VideoSensor.Security;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// One JSON-RPC method as the generator read it from its attributes and signature at compile time: name, role,
/// summaries and extra error codes (<see cref="RpcMethodAttribute"/>, <see cref="RpcErrorsAttribute"/>), its params
/// and result types, and a typed call of it. Nothing here is written by hand.
/// </summary>
/// <param name="ResultType">What the method's task completes with; null for a method that answers null.</param>
internal sealed record RpcMethodDeclaration(
    string Name,
    Role? Required,
    string Summary,
    string? ResultSummary,
    Type GroupType,
    Type? ParamsType,
    Type? ResultType,
    IReadOnlyList<int> Errors,
    RpcInvoker Invoke);
