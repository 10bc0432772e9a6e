using System.Linq.Expressions;
using System.Reflection;

namespace VideoSensor.Api.JsonRpc.Pipeline;

/// <summary>Runs one method on its group with the bound params object; what it returns or completes with is the result.</summary>
internal delegate ValueTask<object?> RpcInvoker(object group, object? request, CancellationToken cancellationToken);

/// <summary>
/// Compiles each method's call once, at startup: a typed call on the group with the params object and the
/// connection's cancellation token, its task adapted to one shape. A call then costs a delegate invocation, not
/// reflection.
/// </summary>
internal static class RpcInvokers
{
    private static readonly ValueTask<object?> Completed = new((object?)null);

    public static RpcInvoker Compile(MethodInfo method, Type groupType)
    {
        var group = Expression.Parameter(typeof(object), "group");
        var request = Expression.Parameter(typeof(object), "request");
        var cancellation = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(CancellationToken)
            ? (Expression)cancellation
            : Expression.Convert(request, p.ParameterType));
        var call = Expression.Call(Expression.Convert(group, groupType), method, arguments);
        var body = Adapt(call, method.ReturnType);
        return Expression.Lambda<RpcInvoker>(body, group, request, cancellation).Compile();
    }

    private static Expression Adapt(MethodCallExpression call, Type returnType)
    {
        if (returnType == typeof(void))
        {
            return Expression.Block(call, Expression.Constant(Completed));
        }

        if (returnType == typeof(Task))
        {
            return Expression.Call(typeof(RpcInvokers).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!, call);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return Expression.Call(typeof(RpcInvokers).GetMethod(nameof(FromTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(returnType.GetGenericArguments()), call);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return Expression.Call(typeof(RpcInvokers).GetMethod(nameof(FromValueTaskOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(returnType.GetGenericArguments()), call);
        }

        if (returnType == typeof(ValueTask))
        {
            throw new InvalidOperationException($"{call.Method.DeclaringType?.Name}.{call.Method.Name}: return Task or a value, not a bare ValueTask");
        }

        return Expression.New(typeof(ValueTask<object?>).GetConstructor([typeof(object)])!, Expression.Convert(call, typeof(object)));
    }

    private static ValueTask<object?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? Completed : AwaitAsync(task);

    private static async ValueTask<object?> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static ValueTask<object?> FromTaskOf<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitAsync(task);

    private static async ValueTask<object?> AwaitAsync<T>(Task<T> task) => await task.ConfigureAwait(false);

    private static ValueTask<object?> FromValueTaskOf<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitAsync(task.AsTask());
}
