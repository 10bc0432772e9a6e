#!/usr/bin/env bash
# Builds and runs every test, after installing the Debian packages the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
# The reference validators of the contract documents, pinned by tools/contracts/package-lock.json.
npm ci --prefix tools/contracts --no-audit --no-fund --loglevel=error >/dev/null
dotnet build DaprCamera.sln -c Release --nologo -v q
dotnet test DaprCamera.sln -c Release --no-build --nologo "$@"
