namespace VideoSensor.Api.JsonRpc;

/// <summary>A class of JSON-RPC methods; one instance per connection, resolved from the connection's scope.</summary>
internal interface IRpcMethodGroup;

/// <summary>Params that check themselves beyond their types; throw <see cref="RpcException"/> (-32602) when invalid.</summary>
internal interface IValidatedParams
{
    void Validate();
}
