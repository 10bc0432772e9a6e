#!/usr/bin/env bash
# Runs the video sensor with the built-in default config (a test-pattern camera, no Dapr), with MediaMTX
# provided by scripts/mediamtx.sh (MEDIAMTX_BINARY, PATH, or the pinned release downloaded once).
# Extra arguments go to the service, e.g. --config my.yaml.
#
# It runs a ReadyToRun (precompiled) publish of the service from artifacts/videosensor, republished when a
# source file is newer: `dotnet run` would re-evaluate the build on every start, and the precompiled code
# saves ~16% of the CPU spent reaching /health/ready (docs/footprint.md). VIDEOSENSOR_NO_PUBLISH=1 falls
# back to `dotnet run`.
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

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) echo "unsupported machine $(uname -m); use VIDEOSENSOR_NO_PUBLISH=1" >&2; exit 1 ;;
esac

out=artifacts/videosensor
dll="$out/VideoSensor.dll"
stale() {
  [[ ! -f "$dll" ]] && return 0
  [[ -n "$(find src/VideoSensor Directory.Build.props Directory.Packages.props global.json \
    -path '*/bin' -prune -o -path '*/obj' -prune -o -type f -newer "$dll" -print -quit)" ]]
}
# Each step says what it does and, while it runs, how long it has taken: the first publish restores packages
# and precompiles everything, minutes on a small machine.
step() { # step N/M TEXT COMMAND...
  local label="$1" text="$2"; shift 2
  echo "publishing $label: $text ..." >&2
  local started=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( (SECONDS - started) % 15 == 0 )) && kill -0 "$pid" 2>/dev/null; then
      echo "  ... still $text ($((SECONDS - started)) s)" >&2
    fi
  done
  wait "$pid"
  echo "  done in $((SECONDS - started)) s" >&2
}
if stale; then
  echo "publishing the service (ReadyToRun) to $out: two steps, minutes the first time" >&2
  step 1/2 "restoring NuGet packages" dotnet restore src/VideoSensor -r "$rid" -p:PublishReadyToRun=true -v quiet -nologo >&2
  step 2/2 "compiling and precompiling (ReadyToRun)" dotnet publish src/VideoSensor -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun=true -o "$out" -v quiet -nologo >&2
  touch "$dll"
fi

exec dotnet "$dll" "$@"
