using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VideoSensor.Security;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Security;

/// <summary>
/// Guessing credentials from a new connection per guess, over WebSocket and REST alike, hits one budget per
/// client address: after it is spent, guesses are refused unchecked, and every failure is logged and counted
/// without the guessed credential.
/// </summary>
public sealed class AuthFailureLimiterTests
{
    [Fact]
    public async Task Two_hundred_guesses_from_new_connections_and_rest_calls_are_refused_and_logged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = service.BaseUri };
        var guesses = Enumerable.Range(0, 200).Select(i => $"guess{i:D3}-{Guid.NewGuid():N}").ToList();
        var checkedAndRefused = 0;
        var refusedUnchecked = 0;
        for (var i = 0; i < guesses.Count; i++)
        {
            if (i % 2 == 0)
            {
                // A fresh connection per guess, as a brute-forcer dodging a per-connection lockout would.
                await using var client = await service.ConnectAsync(cancellationToken: ct);
                var response = await client.CallAsync("authenticate", new { auth_token = guesses[i] }, ct);
                checkedAndRefused += response.ErrorCode == -32001 ? 1 : 0;
                refusedUnchecked += response.ErrorCode == -32040 ? 1 : 0;
            }
            else
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras");
                request.Headers.Add("X-API-Key", guesses[i]);
                using var response = await http.SendAsync(request, ct);
                checkedAndRefused += response.StatusCode == HttpStatusCode.Unauthorized ? 1 : 0;
                refusedUnchecked += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
            }
        }

        // The default budget is 20 in a row (plus what refills, 10 a minute, during the run).
        Assert.InRange(checkedAndRefused, 20, 30);
        Assert.Equal(200, checkedAndRefused + refusedUnchecked);

        // While the address is throttled even a valid key is not looked at, on either protocol.
        using var valid = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras");
        valid.Headers.Add("X-API-Key", ApiKeys.Viewer);
        using var throttled = await http.SendAsync(valid, ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await using (var client = await service.ConnectAsync(cancellationToken: ct))
        {
            var refused = await client.CallAsync("authenticate", new { auth_token = ApiKeys.Viewer }, ct);
            Assert.Equal(-32040, refused.ErrorCode);
            Assert.True(refused.ErrorData.GetProperty("retry_after_ms").GetInt64() > 0);
        }

        var lines = service.Logs.Lines;
        Assert.Equal(checkedAndRefused, lines.Count(l => l.Contains("Authentication failed from 127.0.0.1", StringComparison.Ordinal)));
        Assert.True(lines.Count(l => l.Contains("Authentication refused unchecked from 127.0.0.1", StringComparison.Ordinal)) >= refusedUnchecked);
        Assert.Contains(lines, l => l.Contains("over websocket", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("over rest", StringComparison.Ordinal));
        var log = service.Logs.All;
        Assert.DoesNotContain(guesses, g => log.Contains(g, StringComparison.Ordinal) || log.Contains(g[6..], StringComparison.Ordinal));
        Assert.DoesNotContain(ApiKeys.Viewer, log, StringComparison.Ordinal);

        var guard = service.Services.GetRequiredService<AuthenticationGuard>();
        Assert.Equal(202, guard.Failures);
        Assert.Equal(refusedUnchecked + 2, guard.Throttled);
    }

    [Fact]
    public async Task Failures_are_counted_in_the_metrics()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await TestService.StartAsync(cancellationToken: ct);
        await using (var client = await service.ConnectAsync(cancellationToken: ct))
        {
            for (var i = 0; i < 3; i++)
            {
                await client.CallAsync("authenticate", new { auth_token = $"wrong-{i}-{Guid.NewGuid():N}" }, ct);
            }
        }

        using var http = await service.HttpAsync();
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
        var line = metrics.Split('\n').Single(l => l.StartsWith("videosensor_auth_failures", StringComparison.Ordinal) && l.Contains("channel=\"websocket\"", StringComparison.Ordinal) && l.Contains("reason=\"rejected\"", StringComparison.Ordinal));
        Assert.Equal("3", line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0]);
    }
}
