#!/usr/bin/env bash
# Builds and runs every test, after installing the Debian packages the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
# The reference validators of the contract documents, pinned by tools/contracts/package-lock.json.
npm ci --prefix tools/contracts --no-audit --no-fund --loglevel=error >/dev/null
dotnet build DaprCamera.sln -c Release --nologo -v q
# The tests that start the service as a process start the Native AOT executable, the artifact users run
# (src/VideoSensor.Tests/Fixtures/ServiceBinary.cs), so a trimming bug fails here.
VIDEOSENSOR_SERVICE_BINARY="$(pwd)/$(scripts/publish-service.sh)"
export VIDEOSENSOR_SERVICE_BINARY
dotnet test DaprCamera.sln -c Release --no-build --nologo "$@"
