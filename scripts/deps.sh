#!/usr/bin/env bash
# Installs the Debian packages the service (run) or the test suite (test) needs, when missing.
# As root it installs them; otherwise it says exactly what is missing and how to install it.
# scripts/clean-root-check.sh proves the lists complete on a clean Debian 12 root.
set -euo pipefail

profile="${1:-run}"
case "$profile" in
  run | test) ;;
  *) echo "usage: scripts/deps.sh [run|test]" >&2; exit 2 ;;
esac

# The service: ffmpeg and ffprobe (snapshots, recordings, ingest, probes).
# curl: scripts/mediamtx.sh downloads the pinned MediaMTX release where the machine has none.
# gcc, libc6-dev, zlib1g-dev: scripts/publish-service.sh links the Native AOT executable with the system toolchain.
packages=(ffmpeg curl ca-certificates gcc libc6-dev zlib1g-dev)
if [[ "$profile" == "test" ]]; then
  packages+=(
    # The GStreamer RTSP test camera (src/VideoSensor.Tests/Fixtures/rtsp_server.py): python3 with GObject
    # introspection and the RTSP server library, and one package per element of its pipeline:
    # videotestsrc (base), clockoverlay (x), x264enc (ugly), rtph264pay (good); gst-inspect-1.0 (tools).
    python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-x gstreamer1.0-plugins-good
    gstreamer1.0-plugins-ugly gstreamer1.0-tools
    # The web console tests drive Debian's headless Chromium.
    chromium
    # kill(1): the service-process fixture stops the service with SIGTERM as an init system would.
    procps
    # The V4L2 struct test compiles a C program against linux/videodev2.h.
    linux-libc-dev
    # The real-sidecar tests start Redis (pub/sub, state, configuration store behind the real daprd) as a child.
    redis-server
    # promtool checks a live /metrics scrape (Debian's prometheus package ships it).
    prometheus
  )
  # The contract documents are checked by npm's reference validators (tools/contracts), the deployment manifests by
  # Kubernetes and Dapr schemas (tools/manifests, scripts/validate-manifests.sh); a node that already
  # brings its own npm (e.g. another distribution of Node.js) is used as it is.
  if ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing Debian packages: ${missing[*]} (apt-get; this can take minutes)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# Progress goes to stderr one line per package, so a long first install does not look stuck.
apt-get install -y -q --no-install-recommends "${missing[@]}" \
  | grep --line-buffered -E '^(Setting up|Unpacking) ' >&2 || true
for p in "${missing[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    echo "could not install the Debian package $p" >&2
    exit 1
  fi
done
