#!/usr/bin/env bash
# Refreshes the console's vendored hls.js (src/VideoSensor/Api/WebConsole/Assets/js/vendor/) from the npm
# registry: the package's own ES-module build (hls.light.min.mjs, no subtitles/alt-audio/DRM) and its
# license, byte for byte. npm checks the tarball against the registry's integrity hash.
# Usage: scripts/vendor-hlsjs.sh [version]   (default: the version vendored now)
set -euo pipefail
version="${1:-1.7.4}"
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/src/VideoSensor/Api/WebConsole/Assets/js/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "hls.js@$version" >/dev/null && tar xzf "hls.js-$version.tgz")
cp "$work/package/dist/hls.light.min.mjs" "$target/hls.light.min.mjs"
cp "$work/package/LICENSE" "$target/hls.js-LICENSE.txt"
echo "vendored hls.js $version: $(sha256sum "$target/hls.light.min.mjs" | cut -d' ' -f1)"
