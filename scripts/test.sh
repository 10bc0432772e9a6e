#!/usr/bin/env bash
# Builds and runs every test, after installing the Debian packages the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
dotnet build DaprCamera.sln -c Release --nologo -v q
dotnet test DaprCamera.sln -c Release --no-build --nologo "$@"
