namespace VideoSensor.Api.JsonRpc;

/// <summary>A class of JSON-RPC methods; one instance per connection, resolved from the connection's scope.</summary>
internal interface IRpcMethodGroup;

