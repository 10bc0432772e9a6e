using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Rtsp;
using VideoSensor.Configuration;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Storage;
using VideoSensor.Tests.Fixtures;
using YamlDotNet.Serialization;

namespace VideoSensor.Tests.Trimming;

/// <summary>
/// What the core now does with generated or hand-declared code gives what the reflection-based libraries gave
/// (this test project still has them): the configuration binder, the JSON of the state folder and of MediaMTX, the YAML serializer.
/// </summary>
public sealed class GeneratedMatchesReflectionTests : IDisposable
{
    private static readonly JsonSerializerOptions Dump = new() { WriteIndented = true };
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> Configs() =>
    [
        "security:\n  dev_mode: true\n",
        """
        server: {port: 9000, health_port: 0, public_host: cam.example, max_connections: " 10 ", rate_limit_burst: +6}
        security:
          jwt_secret: {secret: s1, key: k1}
          jwks_url: https://idp.example/jwks
          cors_origins: ["https://a.example", "*"]
          api_keys:
            - {name: ops, sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, role: operator}
        cameras:
          test_patterns: [{id: t1, pattern: smptebars, fps: 5, audio: {enabled: false}}, {id: t2}]
          rtsp:
            - {id: door, url: rtsp://10.0.0.5/s, username: {secret: cams, key: user}, transport: udp, audio: {webrtc: transcode}}
          usb: {enabled: false, assigned: ["046d:0825", "*"], audio: {disabled_for: [a, b]}}
        storage: {root: /tmp/vs, low_space_percent: 12.5, retention: {policy_type: age, enabled: TRUE, max_age_days: 3.5, max_size_gb: 1e2}}
        recording: {latest_frame: false, wallclock_timestamps: " true ", default_format: mkv}
        media:
          webrtc_additional_hosts: [10.1.2.3, node.example]
          mediamtx: {mode: external, restart_min_seconds: .5, source_on_demand: true, auth_callback_url: "http://127.0.0.1:9000/cb"}
        secrets: {file: /tmp/secrets.yaml}
        dapr: {mode: required, app_id: cam-1, configuration_store: "", configuration_keys: [cameras.rtsp, limits], feed_ownership: true}
        discovery: {hosts: [10.0.0.1], ports: [554], paths: []}
        logging: {format: json, level: Debug}
        limits: {max_streams: 3}
        console: {enabled: false, webrtc: false}
        """,
        "SECURITY:\n  DEV_MODE: true\nServer:\n  Port: 8100\ndiscovery:\n  ports: []\n",
    ];

    [Theory]
    [MemberData(nameof(Configs))]
    public void The_generated_binder_binds_what_the_reflection_binder_bound(string yaml)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);

        var loaded = ConfigLoader.Load(path, readEnvironment: false);

        // ConfigurationBinder.Get in this project is the reflection binder (the generator is on in the core only).
        Assert.Equal(JsonSerializer.Serialize(loaded.Configuration.Get<SensorOptions>(), Dump), JsonSerializer.Serialize(loaded.Options, Dump));
    }

    [Fact]
    public void State_documents_are_the_json_the_reflection_serializer_wrote()
    {
        var reflection = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        List<StoredSource> sources = [new() { Id = "door", Name = "<Door> & 'yard'", Url = "rtsp://x/é", Username = new() { Secret = "s", Key = "k" }, Fps = 20, AddedAt = DateTimeOffset.UnixEpoch, StreamType = "ip_camera" }];
        var file = new StateFile<List<StoredSource>>(_dir.Combine("sources.json"));

        file.Write(sources);

        Assert.Equal(JsonSerializer.Serialize(sources, reflection), File.ReadAllText(file.Path));
        Assert.Equal(JsonSerializer.Serialize(sources, reflection), JsonSerializer.Serialize(file.Read(), reflection));
    }

    [Fact]
    public void Mediamtx_api_json_is_what_the_reflection_serializer_wrote()
    {
        var reflection = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        var conf = new PathConf { Name = "cam", Source = "rtsp://x/<&>é", SourceOnDemand = true, MaxReaders = 3, RunOnDemand = "ffmpeg -i 'a'" };
        const string Path = """{"name":"cam","ready":true,"source":{"type":"rtspSource","id":""},"readers":[{"type":"webRTCSession","id":"1"}],"outboundBytes":8,"extra":{"a":1}}""";

        Assert.Equal(JsonSerializer.Serialize(conf, reflection), JsonSerializer.Serialize(conf, MediaMtxJsonContext.Default.PathConf));
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize<MtxPath>(Path, reflection), reflection),
            JsonSerializer.Serialize(JsonSerializer.Deserialize(Path, MediaMtxJsonContext.Default.MtxPath), reflection));
    }

    [Fact]
    public void Mediamtx_yml_is_what_the_yaml_serializer_wrote()
    {
        // Values a YAML reader could take for something else (null, bool, number, indicators) are where a writer could differ.
        var media = new MediaOptions { WebRtcAdditionalHosts = ["10.0.0.1", "::1", "true", "null", "~", "8080", "a#b", "x: y", "'q'", "-", "\"d\""] };
        var writer = new MediaMtxConfigWriter(Options.Create(media), Options.Create(new StorageOptions()), Options.Create(new ServerOptions()));

        Assert.Equal(new SerializerBuilder().Build().Serialize(writer.Build()), writer.Render());
    }

    public void Dispose() => _dir.Dispose();
}
