using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoSensor.Errors;

namespace VideoSensor.Api.Rest;

/// <summary>RFC 7807 answers of the management API: a 400 names the field, domain failures map like their JSON-RPC codes.</summary>
internal static class RestProblems
{
    public static ProblemHttpResult Field(string field, string message) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "invalid request body",
        detail: $"{field}: {message}",
        extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.InvalidParams, ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    /// <summary>The problem for a domain failure, carrying the contract's error <c>code</c> as JSON-RPC would.</summary>
    public static ProblemHttpResult From(SensorException ex)
    {
        var problem = Problem(ex);
        problem.ProblemDetails.Extensions["code"] = ErrorCodes.Of(ex);
        return problem;
    }

    private static ProblemHttpResult Problem(SensorException ex) => ex switch
    {
        InvalidParameterException p => Field(p.Param, p.Message),
        NotFoundException n => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "not found", detail: n.Message),
        InvalidStateException s => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "conflict", detail: s.Message,
            extensions: new Dictionary<string, object?> { ["state"] = s.State, ["suggestion"] = s.Suggestion }),
        UnsupportedException u => TypedResults.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "unsupported", detail: u.Message),
        DependencyException d => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "dependency failed", detail: d.Message,
            extensions: new Dictionary<string, object?>(d.Extra) { ["dependency"] = d.Dependency }),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "internal error"),
    };
}

/// <summary>A request body that failed a rule, naming the field (dotted path) it failed on.</summary>
internal sealed class BodyException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
