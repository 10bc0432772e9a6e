#!/usr/bin/env bash
# Prints the path of the MediaMTX binary the service should run, providing it when it can:
#   1. MEDIAMTX_BINARY, when set (an executable file);
#   2. mediamtx on PATH;
#   3. the pinned official release, downloaded once into artifacts/mediamtx/<version>/ and checked against the
#      SHA-256 the release publishes (checksums.sha256), or against MEDIAMTX_SHA256 when that is set.
# Every test runs against this pinned version. When none of these works it prints one line saying how to provide
# MediaMTX and exits 1; VIDEOSENSOR_NO_DOWNLOAD=1 skips step 3 (offline machines, air-gapped nodes).
set -euo pipefail
cd "$(dirname "$0")/.."

version="v1.20.1"

if [[ -n "${MEDIAMTX_BINARY:-}" ]]; then
  if [[ -x "$MEDIAMTX_BINARY" ]]; then
    echo "$MEDIAMTX_BINARY"
    exit 0
  fi
  echo "MEDIAMTX_BINARY=$MEDIAMTX_BINARY is not an executable file" >&2
  exit 1
fi

if found="$(command -v mediamtx 2>/dev/null)"; then
  echo "$found"
  exit 0
fi

dir="artifacts/mediamtx/$version"
if [[ -x "$dir/mediamtx" ]]; then
  echo "$PWD/$dir/mediamtx"
  exit 0
fi

how="set MEDIAMTX_BINARY=/path/to/mediamtx or put mediamtx ($version, https://github.com/bluenviron/mediamtx/releases) on PATH; until then the service runs without live video"
if [[ "${VIDEOSENSOR_NO_DOWNLOAD:-}" == "1" ]]; then
  echo "MediaMTX not found and downloads are off (VIDEOSENSOR_NO_DOWNLOAD=1): $how" >&2
  exit 1
fi

case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  armv7l) arch=armv7 ;;
  *) echo "MediaMTX not found and no release for $(uname -m): $how" >&2; exit 1 ;;
esac
if ! command -v curl >/dev/null; then
  echo "MediaMTX not found and curl is missing to download it: $how" >&2
  exit 1
fi

asset="mediamtx_${version}_linux_${arch}.tar.gz"
base="https://github.com/bluenviron/mediamtx/releases/download/$version"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "downloading MediaMTX $version ($asset) ..." >&2
if ! curl -fsSL --connect-timeout 10 --max-time 300 -o "$tmp/$asset" "$base/$asset"; then
  echo "MediaMTX not found and the download from $base failed (no internet?): $how" >&2
  exit 1
fi

expected="${MEDIAMTX_SHA256:-}"
if [[ -z "$expected" ]]; then
  if ! curl -fsSL --connect-timeout 10 --max-time 60 -o "$tmp/checksums.sha256" "$base/checksums.sha256"; then
    echo "could not fetch the published checksums of MediaMTX $version; set MEDIAMTX_SHA256 or: $how" >&2
    exit 1
  fi
  expected="$(awk -v f="$asset" '$2 == f || $2 == "*"f {print $1}' "$tmp/checksums.sha256")"
fi
actual="$(sha256sum "$tmp/$asset" | awk '{print $1}')"
if [[ -z "$expected" || "$actual" != "$expected" ]]; then
  echo "MediaMTX $asset failed its SHA-256 check (expected ${expected:-none}, got $actual); not installed" >&2
  exit 1
fi

mkdir -p "$dir"
tar -xzf "$tmp/$asset" -C "$tmp" mediamtx
install -m 0755 "$tmp/mediamtx" "$dir/mediamtx"
echo "MediaMTX $version installed in $dir (SHA-256 $actual)" >&2
echo "$PWD/$dir/mediamtx"
