#!/usr/bin/env bash
# Runs the video sensor with the built-in default config (a test-pattern camera, no Dapr).
# Extra arguments go to the service, e.g. --config my.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh run
exec dotnet run --project src/VideoSensor -c Release -- "$@"
