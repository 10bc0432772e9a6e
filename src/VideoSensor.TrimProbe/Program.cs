using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoSensor;
using VideoSensor.Configuration;
using VideoSensor.Media;
using VideoSensor.Media.MediaMtx;
using VideoSensor.Storage;

// Each command exercises one path that reads types by metadata, and prints what it got; the tests compare it
// with the same call in the JIT test process. Exit 2 = a configuration error (its message on stderr).
try
{
    switch (args)
    {
        case ["config", var path]:
            // The file check (schema: unknown keys, types; the option classes' rules) and the generated binder.
            var loaded = ConfigLoader.Load(path, readEnvironment: false);
            Console.WriteLine(Describe(loaded.Options));

            // The same values through DI, as the service reads them: generated BindConfiguration and validators.
            var services = new ServiceCollection().AddSingleton<IConfiguration>(loaded.Configuration).AddVideoSensorCore().BuildServiceProvider();
            Console.WriteLine($"options: port={services.GetRequiredService<IOptions<ServerOptions>>().Value.Port} rtsp={services.GetRequiredService<IOptions<VideoSensor.Cameras.CamerasOptions>>().Value.Rtsp.Count}");
            return 0;
        case ["state", var directory]:
            // A state document written and read back through the generated JSON.
            var file = new StateFile<List<VideoSensor.Cameras.Rtsp.StoredSource>>(Path.Combine(directory, "sources.json"));
            file.Write([new() { Id = "door", Url = "rtsp://10.0.0.5/s", Username = new() { Secret = "s", Key = "u" }, AddedAt = DateTimeOffset.UnixEpoch, StreamType = "ip_camera" }]);
            Console.WriteLine(File.ReadAllText(file.Path));
            Console.WriteLine($"read: {file.Read()?.Single().Username}");
            return 0;
        case ["mediamtx"]:
            Console.Write(new MediaMtxConfigWriter(Options.Create(new MediaOptions { WebRtcAdditionalHosts = ["10.0.0.1", "x: y"] }), Options.Create(new StorageOptions()), Options.Create(new ServerOptions())).Render());
            return 0;
        default:
            Console.Error.WriteLine("usage: VideoSensor.TrimProbe config <file> | state <dir> | mediamtx");
            return 64;
    }
}
catch (ConfigException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

static string Describe(SensorOptions o) =>
    $"port={o.Server.Port} dev_mode={o.Security.DevMode} api_keys={string.Join(",", o.Security.ApiKeys.Select(k => $"{k.Name}:{k.Role}"))} " +
    $"test_patterns={string.Join(",", o.Cameras.TestPatterns.Select(t => $"{t.Id}@{t.Fps}"))} rtsp={string.Join(",", o.Cameras.Rtsp.Select(r => $"{r.Id}:{r.Password}"))} " +
    $"usb_assigned={string.Join(",", o.Cameras.Usb.Assigned)} retention={o.Storage.Retention.PolicyType}/{o.Storage.Retention.MaxAgeDays} " +
    $"discovery_ports={string.Join(",", o.Discovery.EffectivePorts)} mediamtx={o.Media.MediaMtx.Mode}";
