#!/usr/bin/env bash
# Publishes the service as a Native AOT executable (the artifact scripts/run.sh, the tests' process-level fixtures
# and the image run) to artifacts/native/RID, again only when a source file is newer; prints the executable's path.
# Usage: scripts/publish-service.sh [linux-x64|linux-arm64]   (default: this machine)
# Progress goes to stderr: the first publish restores the compiler packages and compiles everything, minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-$(uname -m)}" in
  x86_64 | linux-x64) rid=linux-x64 ;;
  aarch64 | arm64 | linux-arm64) rid=linux-arm64 ;;
  *) echo "unsupported machine ${1:-$(uname -m)}; run the JIT build with VIDEOSENSOR_NO_PUBLISH=1 scripts/run.sh" >&2; exit 1 ;;
esac

out="artifacts/native/$rid"
# Another architecture than this machine's is cross-linked by clang (gcc cannot take --target): it needs clang, lld
# and the target's libc, libgcc and zlib (Debian: binutils-aarch64-linux-gnu, libc6-dev-arm64-cross,
# libgcc-12-dev-arm64-cross, zlib1g-dev:arm64 — what the Dockerfile installs).
linker=()
case "$rid/$(uname -m)" in
  linux-x64/x86_64 | linux-arm64/aarch64) ;;
  *) linker=(-p:CppCompilerAndLinker=clang) ;;
esac
binary="$out/VideoSensor"
stale() {
  [[ ! -x "$binary" ]] && return 0
  [[ -n "$(find src/VideoSensor src/VideoSensor.Core src/VideoSensor.Dapr src/VideoSensor.RpcGenerator Directory.Build.props Directory.Packages.props global.json \
    -path '*/bin' -prune -o -path '*/obj' -prune -o -type f -newer "$binary" -print -quit)" ]]
}

# Each step says what it does and, while it runs, how long it has taken.
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
  echo "publishing the service (Native AOT, $rid) to $out: two steps, minutes the first time" >&2
  step 1/2 "restoring NuGet packages" dotnet restore src/VideoSensor -r "$rid" -p:PublishAot=true -v quiet -nologo >&2
  # Warnings are errors here too: a trim or AOT warning is a feature that may be missing from the binary.
  step 2/2 "compiling to native code" dotnet publish src/VideoSensor -c Release -r "$rid" --no-restore \
    -p:PublishAot=true "${linker[@]}" -o "$out" -v quiet -nologo >&2
  touch "$binary"
fi

echo "$binary"
