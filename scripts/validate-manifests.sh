#!/usr/bin/env bash
# Validates every manifest under deploy/, components/ and dapr/ offline (tools/manifests/validate.mjs: Kubernetes
# schemas from kubernetes-models, Dapr CRDs from tools/manifests/dapr-schemas), then proves the checks bite: every
# document in tools/manifests/fixtures/invalid must be refused. Exit status 1 when either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  scripts/deps.sh test >&2 || exit 1  # brings Debian's nodejs and npm
fi
# Pinned by tools/manifests/package-lock.json; from the registry's cache after the first run.
npm ci --prefix tools/manifests --no-audit --no-fund --loglevel=error >/dev/null || exit 1
status=0
node tools/manifests/validate.mjs || status=1
node tools/manifests/validate.mjs --expect-invalid tools/manifests/fixtures/invalid || status=1
exit "$status"
