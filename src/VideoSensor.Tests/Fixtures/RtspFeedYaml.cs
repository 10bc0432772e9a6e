namespace VideoSensor.Tests.Fixtures;

/// <summary>The <c>cameras:</c> section for one RTSP feed of the GStreamer test camera, shared by tests and benchmarks.</summary>
public static class RtspFeedYaml
{
    /// <remarks>
    /// The probe interval is long on purpose: every new client of the GStreamer test server's shared media
    /// re-bases its RTP timestamps (PLAY seeks the live pipeline), which a real camera or MediaMTX does not do.
    /// </remarks>
    public static string Cameras(RtspTestServer camera, string id) => $"""
        cameras:
          rtsp_probe_interval_seconds: 600
          rtsp:
            - id: {id}
              url: {camera.Url}
              transport: tcp
        """;

    /// <summary>The same feed with its user and password read from the secret <paramref name="secret"/> (keys <c>username</c>, <c>password</c>).</summary>
    public static string Cameras(RtspTestServer camera, string id, string secret) => Cameras(camera, id) + $$"""

              username: { secret: {{secret}}, key: username }
              password: { secret: {{secret}}, key: password }
        """;
}
