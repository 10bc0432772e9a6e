namespace VideoSensor.Api.JsonRpc;

/// <summary>Gives the method groups of a connection's scope their connection's session.</summary>
internal sealed class RpcSessionAccessor
{
    private RpcSession? _session;

    public RpcSession Session
    {
        get => _session ?? throw new InvalidOperationException("no JSON-RPC session in this scope");
        set => _session = value;
    }
}
