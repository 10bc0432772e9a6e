namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// The error codes a method raises beyond those every method can raise (-32602 for its params, -32001 and
/// -32002 for its role, -32040, -32603). Listed in <c>rpc.discover</c>; the contract tests check that a
/// method never answers with a code it does not list.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RpcErrorsAttribute(params int[] codes) : Attribute
{
    public IReadOnlyList<int> Codes { get; } = codes;
}

