using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using VideoSensor.Security;

namespace VideoSensor.Media.MediaMtx;

/// <summary>
/// Typed client of the MediaMTX control API (<c>/v3</c>, see mediamtx-openapi.yaml). Every failure
/// becomes a <see cref="MediaMtxException"/> with a message that names the call and never a credential.
/// </summary>
internal sealed class MediaMtxClient(HttpClient http, InternalCredential credential, SecretRedactor redactor, IOptions<MediaOptions> options)
{
    private const int PageSize = 100;
    private static readonly MediaMtxJsonContext Json = MediaMtxJsonContext.Default;

    public Task<MtxInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "v3/info", null, "read info", Json.MtxInfo, cancellationToken);

    /// <summary>Every configured path, all pages.</summary>
    public Task<IReadOnlyList<PathConf>> ListPathConfigsAsync(CancellationToken cancellationToken) =>
        AllPagesAsync("v3/config/paths/list", "list path configs", Json.PathConfList, l => (l.PageCount, l.Items), cancellationToken);

    public Task AddPathAsync(string name, PathConf conf, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v3/config/paths/add/{PathNames.Require(name)}", conf, $"add path '{name}'", Json.JsonElement, cancellationToken);

    public Task PatchPathAsync(string name, PathConf conf, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"v3/config/paths/patch/{PathNames.Require(name)}", conf, $"patch path '{name}'", Json.JsonElement, cancellationToken);

    public Task ReplacePathAsync(string name, PathConf conf, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v3/config/paths/replace/{PathNames.Require(name)}", conf, $"replace path '{name}'", Json.JsonElement, cancellationToken);

    public Task DeletePathAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"v3/config/paths/delete/{PathNames.Require(name)}", null, $"delete path '{name}'", Json.JsonElement, cancellationToken);

    /// <summary>Every live path, all pages.</summary>
    public Task<IReadOnlyList<MtxPath>> ListPathsAsync(CancellationToken cancellationToken) =>
        AllPagesAsync("v3/paths/list", "list paths", Json.PathList, l => (l.PageCount, l.Items), cancellationToken);

    /// <summary>A live path, or null when MediaMTX has no such path (nobody publishes and no source is set).</summary>
    public async Task<MtxPath?> GetPathAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, $"v3/paths/get/{PathNames.Require(name)}", null, $"get path '{name}'", Json.MtxPath, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaMtxException ex) when (ex.Failure == MediaMtxFailure.NotFound)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<TItem>> AllPagesAsync<TList, TItem>(string path, string what, JsonTypeInfo<TList> answer, Func<TList, (int PageCount, IReadOnlyList<TItem>? Items)> read, CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        for (var page = 0; ; page++)
        {
            var (pageCount, items) = read(await SendAsync(HttpMethod.Get, Paged(path, page), null, what, answer, cancellationToken).ConfigureAwait(false));
            all.AddRange(items ?? []);
            if (page + 1 >= pageCount)
            {
                return all;
            }
        }
    }

    private static string Paged(string path, int page) =>
        $"{path}?page={page.ToString(CultureInfo.InvariantCulture)}&itemsPerPage={PageSize.ToString(CultureInfo.InvariantCulture)}";

    private async Task<T> SendAsync<T>(HttpMethod method, string path, PathConf? body, string what, JsonTypeInfo<T> answer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = credential.BasicHeader();
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, Json.PathConf);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.MediaMtx.RequestTimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaMtxException(MediaMtxFailure.Unreachable, $"MediaMTX did not answer '{what}' within {options.Value.MediaMtx.RequestTimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            throw new MediaMtxException(MediaMtxFailure.Unreachable, $"MediaMTX is not reachable at {http.BaseAddress} for '{what}': {ex.HttpRequestError}", inner: ex);
        }

        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new MediaMtxException(MediaMtxFailure.Unreachable, $"MediaMTX broke off its answer to '{what}'", (int)response.StatusCode, ex);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Failed(response.StatusCode, text, what);
            }

            try
            {
                return JsonSerializer.Deserialize(text.Length == 0 ? "{}" : text, answer)
                    ?? throw new JsonException("null body");
            }
            catch (JsonException ex)
            {
                throw new MediaMtxException(MediaMtxFailure.ServerError, $"MediaMTX answered '{what}' with a body that is not the expected JSON", (int)response.StatusCode, ex);
            }
        }
    }

    private MediaMtxException Failed(HttpStatusCode status, string text, string what)
    {
        var detail = ErrorText(text);
        var code = (int)status;
        var failure = status switch
        {
            HttpStatusCode.NotFound => MediaMtxFailure.NotFound,
            HttpStatusCode.BadRequest => MediaMtxFailure.Rejected,
            _ => MediaMtxFailure.ServerError,
        };
        var message = redactor.Redact($"MediaMTX refused '{what}' with HTTP {code}{(detail is null ? "" : $": {detail}")}");
        return new MediaMtxException(failure, message, code);
    }

    private static string? ErrorText(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? Truncate(e.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return text.Length == 0 ? null : Truncate(text);
        }
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
