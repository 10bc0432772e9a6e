#!/usr/bin/env bash
# Proves that scripts/deps.sh installs everything: runs the README's two commands in a clean Debian 12
# root, the way a new user on a fresh machine with only the .NET SDK would, and ends with the test line
# ("tests: N passed, N failed, N skipped").
#
#   sudo scripts/clean-root-check.sh              # the whole check (debootstrap, run, tests)
#   sudo scripts/clean-root-check.sh --cache-only # only build the cached base tarball
#
# The root is made with debootstrap (minbase, plus the libraries the .NET SDK's own package depends on),
# from a tarball cached in $CLEAN_ROOT_CACHE (default /var/cache/videosensor-clean-root) so reruns skip the
# download. The host's .NET SDK is bind-mounted read-only, /work/shared/tools (or $CLEAN_ROOT_TOOLS) too, as
# ../shared/tools beside the repository, and a clean `git clone` of this repository's HEAD is copied in.
# Inside, as root: `scripts/run.sh` (started, /health must answer, stopped by PID) and `scripts/test.sh`.
# Everything mounted is unmounted on exit; the root is deleted unless CLEAN_ROOT_KEEP=1.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CLEAN_ROOT_CACHE:-/var/cache/videosensor-clean-root}"
tools="${CLEAN_ROOT_TOOLS:-$(cd "$repo/.." && pwd)/shared/tools}"
suite=bookworm
# What installing the .NET SDK from a package brings along (dotnet-runtime-deps), nothing more.
sdk_deps=ca-certificates,libc6,libgcc-s1,libgssapi-krb5-2,libicu72,libssl3,libstdc++6,tzdata,zlib1g
tarball="$cache/$suite-minbase-dotnetdeps.tgz"

if [[ $(id -u) -ne 0 ]]; then
  echo "clean-root-check: needs root (debootstrap, chroot, bind mounts)" >&2
  exit 1
fi

if ! command -v debootstrap >/dev/null; then
  echo "clean-root-check: installing debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
fi

# The Debian mirror this machine's apt uses (deb822 .sources or a classic sources.list line).
mirror="${CLEAN_ROOT_MIRROR:-$(
  { grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
    grep -hs -E '^deb ' /etc/apt/sources.list | awk '{print $2}'; } | grep -v -- '-security' | head -n 1 || true)}"
mirror="${mirror:-http://deb.debian.org/debian}"

log() { echo "clean-root-check: $*" >&2; }

if [[ ! -s "$tarball" ]]; then
  log "building the base tarball $tarball from $mirror (once)"
  mkdir -p "$cache"
  scratch="$(mktemp -d /var/tmp/videosensor-debootstrap.XXXXXX)"
  debootstrap --variant=minbase --include="$sdk_deps" --make-tarball="$tarball.part" "$suite" "$scratch" "$mirror" >&2
  rm -rf "$scratch"
  mv "$tarball.part" "$tarball"
fi
[[ "${1:-}" == "--cache-only" ]] && exit 0

work="$(mktemp -d /var/tmp/videosensor-clean-root.XXXXXX)"
root="$work/root"
mounted=()
service_pid=""

cleanup() {
  if [[ -n "$service_pid" ]] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM -- "-$service_pid" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$service_pid" 2>/dev/null || true
  fi
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[$i]}" 2>/dev/null || log "could not unmount ${mounted[$i]}"
  done
  if [[ "${CLEAN_ROOT_KEEP:-}" == "1" ]]; then
    log "kept $root"
  elif ! findmnt -rn -o TARGET | grep -q "^$work"; then
    rm -rf "$work"
  else
    log "left $work: something is still mounted under it"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() { # bind SOURCE TARGET [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  mounted+=("$2")
  # Private: on a host whose mounts are shared (systemd's default) what is mounted below the target must not
  # propagate back to the source (devpts on the root's /dev/pts would land on the host's /dev/pts).
  mount --make-private "$2"
  if [[ "${3:-}" == "ro" ]]; then
    mount -o remount,bind,ro "$2"
  fi
}

log "unpacking a clean $suite root in $root"
mkdir -p "$root"
debootstrap --variant=minbase --include="$sdk_deps" --unpack-tarball="$tarball" "$suite" "$root" "$mirror" >&2

# The same apt sources as this machine (updates and security included), and its name resolution.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null || true
[[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
cp /etc/hosts "$root/etc/hosts"
# This machine's own network trust comes along, as it does on any machine of this network: local CA
# certificates (e.g. an egress proxy's) and NuGet's certificate revocation mode.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || log "update-ca-certificates failed in the root"
fi

# No init runs in the root: packages must not try to start daemons (the standard chroot guard).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

mkdir -p "$root/proc" "$root/sys" "$root/dev"
mount -t proc proc "$root/proc"; mounted+=("$root/proc")
mount -t sysfs sysfs "$root/sys"; mounted+=("$root/sys")
bind /dev "$root/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"; mounted+=("$root/dev/pts")
mount -t tmpfs tmpfs "$root/dev/shm"; mounted+=("$root/dev/shm")

# The host's .NET SDK, read-only, where its package puts it.
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
bind "$dotnet_root" "$root/usr/share/dotnet" ro
ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"

# The repository as a clean clone of HEAD, with the shared tools beside it as ../shared/tools.
mkdir -p "$root/work"
git clone --quiet --no-hardlinks "$repo" "$root/work/repo"
git -C "$root/work/repo" checkout --quiet "$(git -C "$repo" rev-parse HEAD)"
if [[ -d "$tools" ]]; then
  bind "$tools" "$root/work/shared/tools" ro
else
  log "no $tools on this machine: the MediaMTX tests will say they cannot run"
fi

# A login-like clean environment, as root, in the clone.
in_root=(chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CI="${CI:-}"
  ${NUGET_CERT_REVOCATION_MODE:+NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE})

free_port() { # an even TCP/UDP port with its odd neighbour free, below the ephemeral range
  local p
  while :; do
    p=$((20000 + 2 * (RANDOM % 6000)))
    if ! ss -Hltun "( sport = :$p or sport = :$((p + 1)) )" | grep -q .; then echo "$p"; return; fi
  done
}

# The run command provides MediaMTX like a user's machine would, but this machine has no internet: it gets the
# provided binary (live video included), or is told not to try a download.
if [[ -d "$tools/mediamtx" ]]; then
  run_mediamtx=(MEDIAMTX_BINARY=/work/shared/tools/mediamtx/mediamtx)
else
  run_mediamtx=(VIDEOSENSOR_NO_DOWNLOAD=1)
fi

# 1. The run command: start it, /health must answer, stop it. Ports are moved off the defaults by the
#    documented environment overrides so the check cannot collide with anything else on this machine.
port="$(free_port)"; health_port="$(free_port)"
log "README run command: scripts/run.sh (port $port, health port $health_port)"
setsid "${in_root[@]}" VIDEOSENSOR__SERVER__PORT="$port" VIDEOSENSOR__SERVER__HEALTH_PORT="$health_port" \
  VIDEOSENSOR__SERVER__BIND_ADDRESS=127.0.0.1 VIDEOSENSOR__MEDIA__RTSP_PORT="$(free_port)" \
  VIDEOSENSOR__MEDIA__HLS_PORT="$(free_port)" VIDEOSENSOR__MEDIA__WEBRTC_PORT="$(free_port)" \
  VIDEOSENSOR__MEDIA__RTP_PORT="$(free_port)" VIDEOSENSOR__MEDIA__WEBRTC_UDP_PORT="$(free_port)" \
  VIDEOSENSOR__MEDIA__MEDIAMTX__API_ADDRESS="127.0.0.1:$(free_port)" \
  "${run_mediamtx[@]}" \
  /bin/bash -c 'cd /work/repo && exec scripts/run.sh' >"$work/run.log" 2>&1 &
service_pid=$!
health=""
for _ in $(seq 1 900); do # the first run publishes a ReadyToRun build: minutes on a small machine
  if ! kill -0 "$service_pid" 2>/dev/null; then break; fi
  if health="$(curl -fsS --max-time 2 "http://127.0.0.1:$health_port/health" 2>/dev/null)"; then break; fi
  health=""
  sleep 1
done
if [[ -z "$health" ]]; then
  log "the service did not answer /health; its output:"
  tail -n 40 "$work/run.log" >&2
  echo "run: FAILED (no /health answer)"
  exit 1
fi
log "/health answered: $health"
kill -TERM -- "-$service_pid"
wait "$service_pid" || true
service_pid=""
echo "run: /health answered, stopped"

# 2. The test command, as CI runs it (.ci/run prints the test line).
log "README test command: scripts/test.sh (through .ci/run for the closing line)"
set +e
"${in_root[@]}" /bin/bash -c 'cd /work/repo && bash .ci/run' 2>&1 | tee "$work/test.log" >&2
status=${PIPESTATUS[0]}
set -e
grep -E '^tests: ' "$work/test.log" | tail -n 1
exit "$status"
