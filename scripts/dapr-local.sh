#!/usr/bin/env bash
# Runs the sensor locally with a real Dapr sidecar, without the Dapr CLI: redis-server, placement, daprd (app id
# videosensor) and the service, every listener on 127.0.0.1, with the same files as dapr.yaml / tye.yaml
# (components/, dapr/config.yaml, deploy/config/videosensor.yaml). Ctrl-C stops all four (by PID).
#
#   DAPRD_BINARY / DAPR_PLACEMENT_BINARY   daprd and placement (else on PATH, else ~/.dapr/bin)
#   REDIS_PORT (6379) DAPR_HTTP_PORT (3500) DAPR_GRPC_PORT (50001) PLACEMENT_PORT (50005) APP_PORT (8002)
#   DAPR_METRICS_PORT (9090); the sensor's health port is APP_PORT + 1
#   SECRETS_FILE   the local secret store's JSON (default components/dev-secrets.example.json)
#   VIDEOSENSOR_DATA  storage root (default artifacts/dapr-local/data)
# Extra arguments go to scripts/run.sh (e.g. --config my.yaml instead of deploy/config/videosensor.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

find_tool() { # find_tool VARIABLE NAME
  local configured="${!1:-}"
  if [[ -n "$configured" ]]; then echo "$configured"; return; fi
  if command -v "$2" >/dev/null; then command -v "$2"; return; fi
  if [[ -x "$HOME/.dapr/bin/$2" ]]; then echo "$HOME/.dapr/bin/$2"; return; fi
  echo "no $2: set $1 or put $2 on PATH (Dapr 1.18 runtime binaries)" >&2
  exit 1
}
daprd="$(find_tool DAPRD_BINARY daprd)"
placement="$(find_tool DAPR_PLACEMENT_BINARY placement)"
command -v redis-server >/dev/null || { echo "no redis-server: apt-get install redis-server" >&2; exit 1; }

redis_port="${REDIS_PORT:-6379}"
http_port="${DAPR_HTTP_PORT:-3500}"
grpc_port="${DAPR_GRPC_PORT:-50001}"
placement_port="${PLACEMENT_PORT:-50005}"
app_port="${APP_PORT:-8002}"
metrics_port="${DAPR_METRICS_PORT:-9090}"
work="$root/artifacts/dapr-local"
mkdir -p "$work/components" "$work/logs"

# The repository's components with only the Redis address and the secrets file path changed (as the tests do).
secrets="$(realpath "${SECRETS_FILE:-components/dev-secrets.example.json}")"
for f in components/*.yaml; do
  sed -e "s#localhost:6379#127.0.0.1:${redis_port}#" \
      -e "/name: secretsFile/{n;s#value: .*#value: ${secrets}#}" "$f" > "$work/components/$(basename "$f")"
done

pids=()
stop() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
}
trap stop EXIT
trap 'exit 130' INT TERM

wait_http() { # wait_http URL NAME PID
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "$2 exited; see $work/logs/$2.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$2 did not answer $1; see $work/logs/$2.log" >&2
  exit 1
}

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/logs/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "redis-server   127.0.0.1:$redis_port (pid ${pids[-1]})"

placement_health=$((placement_port + 1))
DAPR_HOST_IP=127.0.0.1 "$placement" --id dapr-placement-0 --port "$placement_port" --listen-address 127.0.0.1 \
  --healthz-port "$placement_health" --healthz-listen-address 127.0.0.1 --metrics-port $((placement_port + 2)) \
  --metrics-listen-address 127.0.0.1 --initial-cluster "dapr-placement-0=127.0.0.1:$((placement_port + 3))" \
  >"$work/logs/placement.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$placement_health/healthz" placement "${pids[-1]}"
echo "placement      127.0.0.1:$placement_port (pid ${pids[-1]})"

DAPR_HOST_IP=127.0.0.1 "$daprd" --app-id videosensor --app-port "$app_port" --app-protocol http \
  --app-channel-address 127.0.0.1 --dapr-http-port "$http_port" --dapr-grpc-port "$grpc_port" \
  --dapr-internal-grpc-port $((grpc_port + 1)) --dapr-listen-addresses 127.0.0.1 \
  --dapr-internal-grpc-listen-address 127.0.0.1 --metrics-port "$metrics_port" --metrics-listen-address 127.0.0.1 \
  --dapr-public-port $((http_port + 1)) --dapr-public-listen-address 127.0.0.1 \
  --resources-path "$work/components" --config "$root/dapr/config.yaml" \
  --placement-host-address "127.0.0.1:$placement_port" >"$work/logs/daprd.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$http_port/v1.0/healthz/outbound" daprd "${pids[-1]}"
echo "daprd          http 127.0.0.1:$http_port grpc 127.0.0.1:$grpc_port (pid ${pids[-1]})"

args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(--config "$root/deploy/config/videosensor.yaml")
VIDEOSENSOR__SERVER__BIND_ADDRESS=127.0.0.1 VIDEOSENSOR__SERVER__PORT="$app_port" VIDEOSENSOR__SERVER__HEALTH_PORT=$((app_port + 1)) \
VIDEOSENSOR__STORAGE__ROOT="${VIDEOSENSOR_DATA:-$work/data}" \
DAPR_GRPC_PORT="$grpc_port" DAPR_HTTP_PORT="$http_port" APP_ID=videosensor \
  scripts/run.sh "${args[@]}" &
pids+=($!)
echo "videosensor    http://127.0.0.1:$app_port (pid ${pids[-1]}); logs of the others in $work/logs; Ctrl-C stops all"
wait "${pids[-1]}"
