namespace VideoSensor.Tests.Fixtures.Dapr;

/// <summary>Waits for a child's health endpoint to answer 2xx: these servers give no other readiness signal.</summary>
internal static class HttpWait
{
    public static async Task UntilAsync(Uri uri, Func<bool> gaveUp, TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (gaveUp())
            {
                throw new InvalidOperationException($"the process exited while waiting for {uri}");
            }

            try
            {
                using var response = await http.GetAsync(uri, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                last = ex.GetType().Name;
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"{uri} did not answer 2xx in {timeout.TotalSeconds} s (last: {last})");
    }
}
