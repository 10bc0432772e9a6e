#!/usr/bin/python3
"""A real RTSP camera for tests: GStreamer's RTSP server streaming an H.264 test pattern.

Prints READY on stdout once it listens, or one line "FAILED <reason>" and exits 1 when a prerequisite
is missing: GStreamer builds the pipeline only when a client asks for it, so a missing element would
otherwise show as a 503 to DESCRIBE long after READY. Binds 127.0.0.1 only. Optional basic auth.
"""
import argparse
import signal
import sys

# Every element the pipeline uses, with the Debian package that ships it (scripts/deps.sh test).
ELEMENTS = {
    "videotestsrc": "gstreamer1.0-plugins-base",
    "capsfilter": "libgstreamer1.0-0",
    "clockoverlay": "gstreamer1.0-x",
    "x264enc": "gstreamer1.0-plugins-ugly",
    "rtph264pay": "gstreamer1.0-plugins-good",
}


def fail(reason):
    print(f"FAILED {reason}", flush=True)
    sys.exit(1)


try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402
except ImportError:
    fail("missing python3 module gi (Debian package python3-gi)")
except ValueError as error:
    fail(f"missing GObject introspection data: {error} (Debian package gir1.2-gst-rtsp-server-1.0)")


def check_elements():
    for element, package in ELEMENTS.items():
        if Gst.ElementFactory.find(element) is None:
            fail(f"missing GStreamer element {element} (Debian package {package})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/cam")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=15)
    parser.add_argument("--keyint", type=int, default=15)
    args = parser.parse_args()

    Gst.init(None)
    check_elements()
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f"( videotestsrc is-live=true pattern=ball ! video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 "
        f"! clockoverlay ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.keyint} bframes=0 "
        f"! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )
    factory.set_shared(True)

    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "camera-user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ""), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("camera-user", "media.factory.access", True)
        permissions.add_permission_for_role("camera-user", "media.factory.construct", True)
        factory.set_permissions(permissions)

    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print("FAILED to attach", flush=True)
        sys.exit(1)

    loop = GLib.MainLoop()
    signal.signal(signal.SIGTERM, lambda *_: loop.quit())
    print("READY", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
