namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>Runs one method on its group with the bound params object; what it returns or completes with is the result.</summary>
internal delegate ValueTask<object?> RpcInvoker(object group, object? request, CancellationToken cancellationToken);

/// <summary>
/// Adapts a method's task to the one shape the connection awaits. The generated method tables
/// (<see cref="IRpcMethodGroup.RpcMethods"/>) call each method directly and pass its task here, so a call costs a
/// delegate invocation: no reflection, no expression trees, nothing compiled at run time.
/// </summary>
internal static class RpcInvokers
{
    public static ValueTask<object?> Completed => default;

    public static ValueTask<object?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? Completed : AwaitAsync(task);

    public static ValueTask<object?> FromTask<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitAsync(task);

    public static ValueTask<object?> FromTask<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitAsync(task.AsTask());

    private static async ValueTask<object?> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async ValueTask<object?> AwaitAsync<T>(Task<T> task) => await task.ConfigureAwait(false);
}
