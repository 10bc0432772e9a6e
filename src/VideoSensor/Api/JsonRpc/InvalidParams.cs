using VideoSensor.Errors;

namespace VideoSensor.Api.JsonRpc;

/// <summary>
/// A use case names the fields it checks in its own words (<c>url</c>); a method whose params call them otherwise
/// (<c>stream_url</c>) renames them here, so <c>error.data.param</c> always names a param the caller sent.
/// </summary>
internal static class InvalidParams
{
    public static T Renamed<T>(IReadOnlyDictionary<string, string> names, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InvalidParameterException ex) when (names.ContainsKey(ex.Param))
        {
            throw Rename(ex, names);
        }
    }

    public static async Task<T> RenamedAsync<T>(IReadOnlyDictionary<string, string> names, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (InvalidParameterException ex) when (names.ContainsKey(ex.Param))
        {
            throw Rename(ex, names);
        }
    }

    private static InvalidParameterException Rename(InvalidParameterException ex, IReadOnlyDictionary<string, string> names)
    {
        var param = names[ex.Param];
        return new InvalidParameterException(param, ex.Rule, ex.Message.Replace($"'{ex.Param}'", $"'{param}'", StringComparison.Ordinal));
    }
}
