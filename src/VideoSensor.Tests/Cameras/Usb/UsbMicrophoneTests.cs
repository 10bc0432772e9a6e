using Microsoft.Extensions.Logging.Abstractions;
using VideoSensor.Cameras;
using VideoSensor.Cameras.Usb;
using VideoSensor.Media.Ffmpeg;
using VideoSensor.Tests.Fixtures;

namespace VideoSensor.Tests.Cameras.Usb;

/// <summary>
/// A UVC camera's microphone paired through sysfs: the ALSA card on the same USB device as the video node, its
/// channels and rates from the USB audio driver's stream0, and the exact ingest command with and without it.
/// (Live ALSA capture cannot run on these machines: there is no sound hardware. The command's audio half is run for
/// real in <see cref="UsbIngestCommandTests"/> with the ALSA input swapped for a lavfi tone.)
/// </summary>
public sealed class UsbMicrophoneTests : IDisposable
{
    /// <summary>What snd-usb-audio writes for a Logitech C270's microphone (mono, 16 kHz only).</summary>
    internal const string C270Stream = """
        Logitech HD Webcam C270 at usb-0000:00:14.0-2, high speed : USB Audio

        Capture:
          Status: Stop
          Interface 3
            Altset 1
            Format: S16_LE
            Channels: 1
            Endpoint: 0x86 (6 IN) (ASYNC)
            Rates: 16000
            Bits: 16
            Channel map: MONO
        """;

    private readonly SysfsTree _tree = new();
    private readonly TempDirectory _state = new("usbstate");
    private readonly FakeV4l2Opener _v4l2 = new();
    private readonly CameraRegistry _registry = new();

    private UsbInventory Create(Func<string, bool>? audioOn = null) => new(
        _registry, new SysfsReader(_tree.SysfsRoot, _tree.DevRoot), _v4l2, new UsbAssignment(["*"], null),
        new UsbIdentityStore(_state.Path), new Resolution(1280, 720), 15, NullLogger.Instance,
        new UsbMicrophones(_tree.SysfsRoot, _tree.ProcRoot), audioOn);

    private Camera Get(string id) => _registry.TryGet(id, out var c) ? c : throw new Xunit.Sdk.XunitException($"no camera {id}");

    [Fact]
    public void A_camera_with_a_microphone_captures_it_and_one_without_does_not()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-2", serial: "MIC1"), FakeNode.Camera("MJPG"));
        _tree.AddSoundCard("1-2", card: 1, id: "C270", C270Stream);
        _v4l2.Set(_tree.AddNode("video2", "1-4", serial: "NOMIC"), FakeNode.Camera("MJPG"));
        // A USB headset on another port: a capture device too, but not on either camera's USB device.
        _tree.AddSoundCard("1-3", card: 2, id: "Headset", C270Stream.Replace("C270", "Headset", StringComparison.Ordinal), playbackDevices: [0]);

        Create().Rescan();

        var withMic = Get("camera0");
        Assert.Equal(new UsbMicrophone(1, 0, 1, 16000), ((UsbSource)withMic.Source).Microphone);
        Assert.Equal("hw:1,0", ((UsbSource)withMic.Source).Microphone!.AlsaName);
        Assert.Equal("C270", withMic.Capabilities.Audio!.Card);
        Assert.Equal([1], withMic.Capabilities.Audio.Channels);
        Assert.Equal([16000], withMic.Capabilities.Audio.Rates);
        var without = Get("camera1");
        Assert.Null(((UsbSource)without.Source).Microphone);
        Assert.Null(without.Capabilities.Audio);

        // The exact ingest commands.
        var dev0 = Path.Combine(_tree.DevRoot, "video0");
        var dev2 = Path.Combine(_tree.DevRoot, "video2");
        Assert.Equal(
            ["-hide_banner", "-nostdin", "-loglevel", "warning",
             "-thread_queue_size", "64", "-f", "v4l2", "-input_format", "mjpeg", "-video_size", "1280x720", "-framerate", "15", "-i", dev0,
             "-thread_queue_size", "64", "-f", "alsa", "-sample_rate", "16000", "-channels", "1", "-i", "hw:1,0",
             "-map", "0:v:0", "-map", "1:a:0",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0",
             "-c:a", "libopus", "-b:a", "48k", "-ar", "48000", "-application", "lowdelay",
             "-f", "rtsp", "-rtsp_transport", "tcp", "rtsp://127.0.0.1:8554/camera0"],
            UsbIngestCommand.Arguments((UsbSource)withMic.Source, "rtsp://127.0.0.1:8554/camera0"));
        Assert.Equal(
            ["-hide_banner", "-nostdin", "-loglevel", "warning",
             "-thread_queue_size", "64", "-f", "v4l2", "-input_format", "mjpeg", "-video_size", "1280x720", "-framerate", "15", "-i", dev2,
             "-map", "0:v:0", "-an",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0",
             "-f", "rtsp", "-rtsp_transport", "tcp", "rtsp://127.0.0.1:8554/camera1"],
            UsbIngestCommand.Arguments((UsbSource)without.Source, "rtsp://127.0.0.1:8554/camera1"));
    }

    [Fact]
    public void Audio_turned_off_for_one_camera_leaves_its_microphone_out_of_the_ingest_but_listed()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-2", serial: "MIC1"), FakeNode.Camera("MJPG"));
        _tree.AddSoundCard("1-2", card: 1, id: "C270", C270Stream);

        Create(audioOn: id => id != "camera0").Rescan();

        var camera = Get("camera0");
        Assert.Null(((UsbSource)camera.Source).Microphone);
        Assert.Equal("C270", camera.Capabilities.Audio?.Card);
    }

    [Fact]
    public void A_playback_only_card_on_the_camera_is_not_a_microphone()
    {
        _v4l2.Set(_tree.AddNode("video0", "1-2", serial: "SPK"), FakeNode.Camera("MJPG"));
        _tree.AddSoundCard("1-2", card: 3, id: "Speaker", stream0: null, captureDevices: [], playbackDevices: [0]);

        Create().Rescan();

        Assert.Null(((UsbSource)Get("camera0").Source).Microphone);
        Assert.Null(Get("camera0").Capabilities.Audio);
    }

    [Fact]
    public void Stream_descriptions_with_several_altsets_and_a_continuous_range_give_every_channel_count_and_rate()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("stream0");
        File.WriteAllText(path, """
            Playback:
              Interface 1
                Channels: 8
                Rates: 96000
            Capture:
              Interface 2
                Altset 1
                Channels: 2
                Rates: 8000 - 48000 (continuous)
                Altset 2
                Channels: 1
                Rates: 16000, 32000
            """);

        var (channels, rates) = UsbMicrophones.ReadStream(path);
        var info = new UsbMicrophoneInfo(1, 0, "X", channels, rates);

        Assert.Equal([1, 2], channels);
        Assert.Equal([8000, 16000, 32000, 48000], rates);
        Assert.Equal((2, 48000), (info.PreferredChannels, info.PreferredRate));
    }

    public void Dispose()
    {
        _tree.Dispose();
        _state.Dispose();
    }
}
