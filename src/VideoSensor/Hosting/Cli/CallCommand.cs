using System.CommandLine;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoSensor.Configuration;
using VideoSensor.Security;

namespace VideoSensor.Hosting.Cli;

/// <summary>
/// <c>call METHOD [PARAMS]</c>: one JSON-RPC call over WebSocket to a running service, so the quick start
/// needs no third-party client. It authenticates with <c>$VIDEOSENSOR_TOKEN</c>, a token file, or, in dev
/// mode, a short-lived token signed with the dev secret of the same storage root; prints the result
/// as JSON on stdout; an error goes to stderr with exit code 1.
/// </summary>
internal static class CallCommand
{
    public const string TokenVariable = "VIDEOSENSOR_TOKEN";

    public static Command Build(Option<string?> config, TextWriter output, TextWriter error)
    {
        var method = SensorCli.RejectingOptions(new Argument<string>("METHOD") { Description = "the JSON-RPC method, e.g. take_snapshot (rpc.discover lists them all)" });
        var parameters = SensorCli.RejectingOptions(new Argument<string?>("PARAMS") { Description = "named params as one JSON object, e.g. '{\"device\":\"test0\"}'", Arity = ArgumentArity.ZeroOrOne });
        parameters.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !result.Tokens[0].Value.StartsWith('-') && ParseParams(result.Tokens[0].Value) is null)
            {
                result.AddError("PARAMS must be one JSON object of named params, e.g. '{\"device\":\"test0\"}'");
            }
        });
        var url = new Option<Uri?>("--url") { Description = "the service's WebSocket endpoint (default: ws://127.0.0.1:server.port/ws of the config)", HelpName = "ws://HOST:PORT/ws" };
        var tokenFile = new Option<string?>("--token-file")
        {
            Description = $"read the token from this file ('-' = stdin); default ${TokenVariable}, else a dev-mode token (tokens never go on the command line, where other users can read them)",
            HelpName = "PATH",
        };
        var role = TokenCommand.RoleOption("the role of the dev-mode token minted when no token is given (default admin)");
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for the answer", HelpName = "SECONDS", DefaultValueFactory = _ => 60 };

        var command = new Command("call", "make one JSON-RPC call to a running service and print its result as JSON") { method, parameters, url, tokenFile, role, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = ConfigLoader.Load(SensorCli.ConfigPath(parse, config));
            var endpoint = parse.GetValue(url) ?? DefaultUrl(loaded.Options.Server);
            string? token;
            try
            {
                token = await TokenAsync(parse.GetValue(tokenFile), loaded.Options, parse.GetValue(role) ?? "admin", ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"call: cannot read the token file: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))));
            try
            {
                return await CallAsync(endpoint, token, parse.GetValue(method)!, ParseParams(parse.GetValue(parameters)), output, error, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or SocketException or HttpRequestException)
            {
                await error.WriteLineAsync($"call: cannot talk to {endpoint}: {ex.Message} (is the service running? scripts/run.sh)").ConfigureAwait(false);
                return 1;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await error.WriteLineAsync($"call: no answer from {endpoint} within {parse.GetValue(timeout)} s").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> CallAsync(Uri endpoint, string? token, string method, JsonObject? parameters, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var client = await RpcCallClient.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        if (token is not null && method != "authenticate")
        {
            var signIn = await client.CallAsync("authenticate", new JsonObject { ["auth_token"] = token }, cancellationToken).ConfigureAwait(false);
            if (signIn["error"] is { } refused)
            {
                await error.WriteLineAsync($"call: authenticate failed: {refused.ToJsonString()}").ConfigureAwait(false);
                return 1;
            }
        }

        var response = await client.CallAsync(method, parameters, cancellationToken).ConfigureAwait(false);
        if (response["error"] is { } failed)
        {
            await error.WriteLineAsync(failed.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            if (token is null)
            {
                await error.WriteLineAsync($"call: no token was sent: set {TokenVariable} or --token-file (outside dev mode no token is minted)").ConfigureAwait(false);
            }

            return 1;
        }

        await output.WriteLineAsync((response["result"] ?? JsonValue.Create((string?)null))?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The token to authenticate with, or null to call without one.</summary>
    private static async Task<string?> TokenAsync(string? file, SensorOptions options, string role, CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            var text = file == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            return text.Trim();
        }

        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment.Trim();
        }

        // Dev mode: sign with the dev secret under the same storage root, as `token` does. The service reads
        // that file on first use, so either side may create it; a service on another storage root refuses the
        // token, and the error says so.
        if (options.Security.DevMode)
        {
            RoleExtensions.TryParse(role, out var granted);
            return await TokenCommand.IssueAsync(options, $"cli-{granted.ToWire()}", granted, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static Uri DefaultUrl(ServerOptions server)
    {
        var host = server.BindAddress is "0.0.0.0" or "::" or "[::]" or "*" or "+" ? "127.0.0.1" : server.BindAddress;
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = $"[{host}]";
        }

        return new Uri($"ws://{host}:{server.Port}{server.WebSocketPath}");
    }

    private static JsonObject? ParseParams(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
