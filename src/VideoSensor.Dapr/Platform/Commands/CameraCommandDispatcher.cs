using Microsoft.Extensions.Logging;
using VideoSensor.Errors;
using VideoSensor.Security;

namespace VideoSensor.Platform.Commands;

/// <summary>
/// Routes a command to the handler of its action. Domain failures become results, never exceptions:
/// not found / invalid state / bad parameters are <see cref="CommandOutcome.Invalid"/>, a failed
/// dependency is <see cref="CommandOutcome.Failed"/> (redelivered), an action without a handler on this
/// build is <see cref="CommandOutcome.Unsupported"/>.
/// </summary>
internal sealed partial class CameraCommandDispatcher(
    IEnumerable<ICameraCommandHandler> handlers,
    SecretRedactor redactor,
    ILogger<CameraCommandDispatcher> logger)
{
    private readonly Dictionary<string, ICameraCommandHandler> _handlers = handlers
        .SelectMany(h => h.Actions.Select(a => (Action: a, Handler: h)))
        .ToDictionary(p => p.Action, p => p.Handler, StringComparer.Ordinal);

    public IReadOnlyCollection<string> HandledActions => _handlers.Keys;

    public async Task<CommandResult> DispatchAsync(CameraCommand command, CancellationToken cancellationToken)
    {
        CommandResult result;
        if (!_handlers.TryGetValue(command.Action, out var handler))
        {
            result = CameraCommand.KnownActions.Contains(command.Action)
                ? CommandResult.Unsupported($"'{command.Action}' is not available on this sensor build")
                : CommandResult.Invalid($"unknown action '{command.Action}'; expected one of {string.Join(", ", CameraCommand.KnownActions)}");
        }
        else
        {
            try
            {
                result = await handler.HandleAsync(command, cancellationToken).ConfigureAwait(false);
            }
            catch (DependencyException ex)
            {
                result = new CommandResult(CommandOutcome.Failed, redactor.Redact(ex.Message)) { ErrorCode = ErrorCodes.Of(ex) };
            }
            catch (UnsupportedException ex)
            {
                result = CommandResult.Unsupported(redactor.Redact(ex.Message)) with { ErrorCode = ErrorCodes.Of(ex) };
            }
            catch (SensorException ex)
            {
                result = CommandResult.Invalid(redactor.Redact(ex.Message)) with { ErrorCode = ErrorCodes.Of(ex) };
            }
        }

        LogCommand(logger, command.Id, command.Action, command.Device ?? "-", result.Outcome, result.Detail);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Id} {Action} on {Device}: {Outcome} ({Detail})")]
    private static partial void LogCommand(ILogger logger, string id, string action, string device, CommandOutcome outcome, string detail);
}
