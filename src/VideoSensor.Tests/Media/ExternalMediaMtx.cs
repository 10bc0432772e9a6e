using VideoSensor.Tests.Fixtures;
using VideoSensor.Tests.Media.Contract;

namespace VideoSensor.Tests.Media;

/// <summary>The YAML that points a test service at a contract double as its external MediaMTX.</summary>
internal static class ExternalMediaMtx
{
    public static string Yaml(MediaMtxDouble mtx, int autoCloseAfter = 300, int timeoutSeconds = 2, int publishTimeoutSeconds = 10) => $"""
        media:
          rtsp_port: {FreePort.Next()}
          mediamtx:
            mode: external
            api_address: {mtx.ApiAddress}
            reconcile_interval_seconds: 1
            restart_min_seconds: 0.1
            restart_max_seconds: 0.5
            request_timeout_seconds: {timeoutSeconds}
            auto_close_after: {autoCloseAfter}
            publish_timeout_seconds: {publishTimeoutSeconds}
        """;

    /// <summary>Waits until the service has seen MediaMTX answer (its first reconciliation follows).</summary>
    public static Task WaitUntilRunningAsync(VideoSensor.Media.MediaMtx.MediaMtxState state, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(VideoSensor.Media.MediaMtx.MediaMtxStatus _)
        {
            if (state.IsRunning)
            {
                done.TrySetResult();
            }
        }

        state.Changed += OnChanged;
        OnChanged(state.Status);
        return done.Task.WaitAsync(timeout).ContinueWith(t => { state.Changed -= OnChanged; return t; }, TaskScheduler.Default).Unwrap();
    }
}
