using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Media.Contract;

/// <summary>How the double answers, to test the service against a failing MediaMTX.</summary>
public enum DoubleFault
{
    None,
    /// <summary>Every call gets HTTP 500 with an Error body.</summary>
    ServerError,
    /// <summary>Calls are accepted but never answered.</summary>
    Hang,
    /// <summary>Every call with a body gets 400 with the body's source echoed, as MediaMTX does for a bad source.</summary>
    RejectEchoingSource,
}

/// <summary>One call the service made, with what the double answered.</summary>
public sealed record DoubleCall(string Method, string Path, int Status, string? Body);

/// <summary>
/// A contract double of MediaMTX's control API on a free loopback port. It keeps path configs and live
/// path state like MediaMTX, and checks EVERY request body and EVERY response it sends against
/// mediamtx-openapi.yaml; any mismatch is recorded in <see cref="Violations"/> (tests assert it stays
/// empty) and a bad request is answered 400, as MediaMTX would.
/// </summary>
public sealed partial class MediaMtxDouble : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly SchemaValidator _validator = new(OpenApiSpec.MediaMtx);
    private readonly ConcurrentDictionary<string, JsonObject> _configs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LivePath> _live = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string _started = DateTimeOffset.UtcNow.ToString("O");

    public MediaMtxDouble()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }
    public string ApiAddress => $"127.0.0.1:{Port}";

    /// <summary>
    /// MediaMTX's path manager: one loop that runs every authentication (the HTTP auth callback included), every
    /// path API call and every publisher's announce, one at a time. The RTSP relay stand-in holds it while it
    /// waits for the auth callback, and path API calls wait for it, so a callback that does not answer at once
    /// freezes the API as it freezes the real server.
    /// </summary>
    public SemaphoreSlim PathManager { get; } = new(1, 1);
    public DoubleFault Fault { get; set; }
    public ConcurrentQueue<string> Violations { get; } = new();
    public ConcurrentQueue<DoubleCall> Calls { get; } = new();
    public IReadOnlyDictionary<string, JsonObject> Configs => _configs;

    /// <summary>Raised after each call is answered (tests wait on it instead of sleeping).</summary>
    public event Action<DoubleCall>? Answered;

    /// <summary>Sets the live state MediaMTX would report for a path (a publisher arrived, readers joined).</summary>
    public void SetLive(string name, bool ready, int readers = 0, long bytesSent = 0) =>
        _live[name] = new LivePath(ready, readers, bytesSent, DateTimeOffset.UtcNow.AddSeconds(-5));

    /// <summary>A restart: MediaMTX forgets every path added through the API, and reports a new start time.</summary>
    public void Restart()
    {
        _configs.Clear();
        _live.Clear();
        _started = DateTimeOffset.UtcNow.AddMilliseconds(1).ToString("O");
    }

    /// <summary>Completes when the configured path names equal <paramref name="names"/>.</summary>
    public async Task WaitForPathsAsync(IReadOnlyCollection<string> names, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(DoubleCall _)
        {
            if (_configs.Keys.Order(StringComparer.Ordinal).SequenceEqual(names.Order(StringComparer.Ordinal)))
            {
                done.TrySetResult();
            }
        }

        Answered += Check;
        try
        {
            Check(null!);
            await done.Task.WaitAsync(timeout);
        }
        finally
        {
            Answered -= Check;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var method = context.Request.HttpMethod;
        var path = context.Request.Url!.AbsolutePath;
        string? body = null;
        if (context.Request.HasEntityBody)
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
        }

        if (Fault == DoubleFault.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            context.Response.Abort();
            return;
        }

        var servedByPathManager = path.StartsWith("/v3/paths/", StringComparison.Ordinal) || path.StartsWith("/v3/config/paths/", StringComparison.Ordinal);
        if (servedByPathManager)
        {
            await PathManager.WaitAsync();
        }

        int status;
        JsonObject? response;
        try
        {
            (status, response) = Fault switch
            {
                DoubleFault.ServerError => (500, Error("injected failure")),
                DoubleFault.RejectEchoingSource when body is not null => (400, Error($"invalid source: '{JsonNode.Parse(body)?["source"]}'")),
                _ => Answer(method, path, context.Request.QueryString, body),
            };
        }
        finally
        {
            if (servedByPathManager)
            {
                PathManager.Release();
            }
        }

        var operation = OpenApiSpec.MediaMtx.FindOperation(method, path);
        if (operation is not null)
        {
            if (!OpenApiSpec.Documents(operation, status))
            {
                Violations.Enqueue($"{method} {path}: status {status} is not documented");
            }
            else if (OpenApiSpec.ResponseSchema(operation, status) is { } schema && response is not null)
            {
                using var doc = JsonDocument.Parse(response.ToJsonString());
                foreach (var e in _validator.Validate(doc.RootElement, schema))
                {
                    Violations.Enqueue($"response to {method} {path}: {e}");
                }
            }
        }

        var bytes = Encoding.UTF8.GetBytes(response?.ToJsonString() ?? "");
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
        var call = new DoubleCall(method, path, status, body);
        Calls.Enqueue(call);
        Answered?.Invoke(call);
    }

    private (int Status, JsonObject? Body) Answer(string method, string path, System.Collections.Specialized.NameValueCollection query, string? body)
    {
        var operation = OpenApiSpec.MediaMtx.FindOperation(method, path);
        if (operation is null)
        {
            Violations.Enqueue($"{method} {path}: no such operation in the spec");
            return (404, Error("not found"));
        }

        JsonObject? request = null;
        if (OpenApiSpec.RequestSchema(operation) is { } requestSchema)
        {
            if (string.IsNullOrEmpty(body))
            {
                if (OpenApiSpec.RequestRequired(operation))
                {
                    Violations.Enqueue($"{method} {path}: the request body is required");
                    return (400, Error("invalid body"));
                }
            }
            else
            {
                try
                {
                    using var doc = JsonDocument.Parse(body);
                    var errors = _validator.Validate(doc.RootElement, requestSchema);
                    if (errors.Count > 0)
                    {
                        foreach (var e in errors)
                        {
                            Violations.Enqueue($"request {method} {path}: {e}");
                        }

                        return (400, Error("json: " + errors[0]));
                    }

                    request = JsonNode.Parse(body) as JsonObject;
                }
                catch (JsonException ex)
                {
                    Violations.Enqueue($"request {method} {path}: not JSON: {ex.Message}");
                    return (400, Error("invalid JSON"));
                }
            }
        }
        else if (!string.IsNullOrEmpty(body))
        {
            Violations.Enqueue($"{method} {path}: a body was sent to an operation that takes none");
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments.Length > 0 ? Uri.UnescapeDataString(segments[^1]) : "";
        var operationKey = string.Join('/', segments.Take(segments.Length > 1 && segments[1] == "config" ? 4 : 3));
        return (operationKey, method) switch
        {
            ("v3/info", "GET") when segments.Length == 2 => (200, new JsonObject { ["version"] = "v1.20.1", ["started"] = _started }),
            ("v3/config/paths/list", "GET") => (200, Page([.. _configs.Values.OrderBy(c => (string)c["name"]!, StringComparer.Ordinal).Select(c => (JsonNode)c.DeepClone())], query)),
            ("v3/config/paths/get", "GET") => _configs.TryGetValue(name, out var conf) ? (200, (JsonObject)conf.DeepClone()) : (404, Error("path configuration not found")),
            ("v3/config/paths/add", "POST") => Add(name, request!),
            ("v3/config/paths/patch", "PATCH") => Patch(name, request!),
            ("v3/config/paths/replace", "POST") => Replace(name, request!),
            ("v3/config/paths/delete", "DELETE") => _configs.TryRemove(name, out _) ? (200, Ok()) : (404, Error("path configuration not found")),
            ("v3/paths/list", "GET") => (200, Page([.. _configs.Keys.Order(StringComparer.Ordinal).Select(n => (JsonNode)LiveJson(n))], query)),
            ("v3/paths/get", "GET") => _configs.ContainsKey(name) ? (200, LiveJson(name)) : (404, Error("path not found")),
            _ => Unsupported(method, path),
        };
    }

    private (int, JsonObject?) Unsupported(string method, string path)
    {
        Violations.Enqueue($"{method} {path}: the double does not implement this operation");
        return (500, Error("not implemented by the double"));
    }

    private (int, JsonObject?) Add(string name, JsonObject conf)
    {
        if (!ValidName(name))
        {
            return (400, Error($"invalid path name: {name}"));
        }

        conf["name"] = name;
        return _configs.TryAdd(name, conf) ? (200, Ok()) : (400, Error("path already exists"));
    }

    private (int, JsonObject?) Patch(string name, JsonObject patch)
    {
        if (!_configs.TryGetValue(name, out var conf))
        {
            return (404, Error("path configuration not found"));
        }

        foreach (var (key, value) in patch)
        {
            conf[key] = value?.DeepClone();
        }

        conf["name"] = name;
        return (200, Ok());
    }

    private (int, JsonObject?) Replace(string name, JsonObject conf)
    {
        if (!_configs.ContainsKey(name))
        {
            return (404, Error("path configuration not found"));
        }

        conf["name"] = name;
        _configs[name] = conf;
        return (200, Ok());
    }

    private JsonObject LiveJson(string name)
    {
        var live = _live.GetValueOrDefault(name) ?? new LivePath(false, 0, 0, null);
        var source = _configs.TryGetValue(name, out var conf) ? (string?)conf["source"] : null;
        var time = live.Ready ? live.Since!.Value.ToString("O") : null;
        // As the real server: a path with a static source (not on demand) is "online" whether or not it can be reached.
        var staticSource = source is not null && source != "publisher" && conf?["sourceOnDemand"]?.GetValue<bool>() != true;
        var online = live.Ready || staticSource;
        var onlineTime = time ?? (staticSource ? _started : null);
        var readers = new JsonArray([.. Enumerable.Range(0, live.Readers).Select(i => (JsonNode)new JsonObject { ["type"] = "rtspSession", ["id"] = $"reader-{i}" })]);
        return new JsonObject
        {
            ["name"] = name,
            ["confName"] = name,
            ["source"] = live.Ready ? new JsonObject { ["type"] = source == "publisher" ? "rtspSession" : "rtspSource", ["id"] = "src" } : null,
            ["ready"] = live.Ready,
            ["readyTime"] = time,
            ["available"] = live.Ready,
            ["availableTime"] = time,
            ["online"] = online,
            ["onlineTime"] = onlineTime,
            ["tracks"] = new JsonArray(live.Ready ? ["H264"] : []),
            ["inboundBytes"] = live.Ready ? 1000 + live.BytesSent : 0,
            ["outboundBytes"] = live.BytesSent,
            ["bytesReceived"] = live.Ready ? 1000 + live.BytesSent : 0,
            ["bytesSent"] = live.BytesSent,
            ["readers"] = readers,
        };
    }

    private static JsonObject Page(List<JsonNode> items, System.Collections.Specialized.NameValueCollection query)
    {
        var page = int.TryParse(query["page"], out var p) ? p : 0;
        var perPage = int.TryParse(query["itemsPerPage"], out var n) && n > 0 ? n : 100;
        var pageCount = (items.Count + perPage - 1) / perPage;
        return new JsonObject
        {
            ["itemCount"] = items.Count,
            ["pageCount"] = pageCount,
            ["items"] = new JsonArray([.. items.Skip(page * perPage).Take(perPage)]),
        };
    }

    private static JsonObject Ok() => new() { ["status"] = "ok" };

    private static JsonObject Error(string message) => new() { ["status"] = "error", ["error"] = message };

    /// <summary>MediaMTX's path name rule: these characters only, no leading or trailing slash.</summary>
    private static bool ValidName(string name) => NameRule().IsMatch(name) && !name.StartsWith('/') && !name.EndsWith('/');

    [GeneratedRegex(@"^[0-9a-zA-Z_\-/\.~:]+$")]
    private static partial Regex NameRule();

    private sealed record LivePath(bool Ready, int Readers, long BytesSent, DateTimeOffset? Since);
}
