#!/usr/bin/env bash
# Runs the video sensor with the built-in default config (a test-pattern camera, no Dapr), with MediaMTX
# provided by scripts/mediamtx.sh (MEDIAMTX_BINARY, PATH, or the pinned release downloaded once).
# Extra arguments go to the service, e.g. --config my.yaml.
#
# It runs the Native AOT executable scripts/publish-service.sh builds (again only when a source file is newer):
# the artifact the image ships, idling at a fraction of a JIT process's memory and ready in milliseconds
# (docs/footprint.md). VIDEOSENSOR_NO_PUBLISH=1 runs the JIT build with `dotnet run` instead (development).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh run

# MediaMTX serves the live video (RTSP, WebRTC, HLS); the service runs the binary this finds or downloads.
# It reaches the service as a config override (the service reads no tool variables of its own).
if mediamtx="$(scripts/mediamtx.sh)"; then
  export VIDEOSENSOR__MEDIA__MEDIAMTX__BINARY_PATH="$mediamtx"
fi

if [[ "${VIDEOSENSOR_NO_PUBLISH:-}" == "1" ]]; then
  exec dotnet run --project src/VideoSensor -c Release -- "$@"
fi

binary="$(scripts/publish-service.sh)"
exec "$binary" "$@"
