# syntax=docker/dockerfile:1.7
# DaprCamera video sensor on Debian 12 (bookworm), the release whose ffmpeg every test runs against.
#   docker build -t videosensor .
#   docker buildx build --platform linux/amd64,linux/arm64 -t registry.example/videosensor:0.1.0 --push .
# The .NET build runs once on the build machine's own platform ($BUILDPLATFORM) and compiles the service to a Native
# AOT executable for the target architecture (scripts/publish-service.sh does the same outside a container): clang
# cross-links an arm64 executable on amd64 (or the reverse) against the target's libc, libgcc and zlib from Debian's
# cross and multiarch packages, so no emulation runs the compiler. The runtime stage is plain debian:12-slim with
# Debian's ffmpeg and no .NET runtime. MediaMTX is the version every test runs against (v1.20.1), checked against the
# SHA-256 its release publishes (checksums.sha256), or against --build-arg MEDIAMTX_SHA256=<sha256 of the tarball>.
# Not built on the development machines (no container engine there): see docs/deploy.md.
ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
ARG BUILDARCH
RUN case "${TARGETARCH:-amd64}" in amd64) gnu=x86-64 ;; arm64) gnu=aarch64 ;; *) echo "unsupported arch ${TARGETARCH}" >&2; exit 1 ;; esac; \
    dpkg --add-architecture "${TARGETARCH:-amd64}" && apt-get update \
    && apt-get install -y --no-install-recommends clang lld llvm "zlib1g-dev:${TARGETARCH:-amd64}" \
    && if [ "${TARGETARCH:-amd64}" != "${BUILDARCH:-amd64}" ]; then \
         apt-get install -y --no-install-recommends "binutils-${gnu}-linux-gnu" "libgcc-12-dev-${TARGETARCH}-cross" "libc6-dev-${TARGETARCH}-cross"; \
       fi \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/VideoSensor/VideoSensor.csproj src/VideoSensor/
COPY src/VideoSensor.Core/VideoSensor.Core.csproj src/VideoSensor.Core/
COPY src/VideoSensor.Dapr/VideoSensor.Dapr.csproj src/VideoSensor.Dapr/
COPY src/VideoSensor.RpcGenerator/VideoSensor.RpcGenerator.csproj src/VideoSensor.RpcGenerator/
RUN case "${TARGETARCH:-amd64}" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; esac; \
    echo "$rid" > /tmp/rid && dotnet restore src/VideoSensor/VideoSensor.csproj -r "$rid" -p:PublishAot=true
COPY src/VideoSensor/ src/VideoSensor/
COPY src/VideoSensor.Core/ src/VideoSensor.Core/
COPY src/VideoSensor.Dapr/ src/VideoSensor.Dapr/
COPY src/VideoSensor.RpcGenerator/ src/VideoSensor.RpcGenerator/
# Warnings are errors: a trim or AOT warning is a feature that may be missing from the executable.
RUN dotnet publish src/VideoSensor/VideoSensor.csproj -c Release -r "$(cat /tmp/rid)" --no-restore \
    -p:PublishAot=true -p:CppCompilerAndLinker=clang -o /app \
    && rm -f /app/*.dbg /app/*.pdb

# Only downloads and checks a tarball: runs on the build platform, fetches the target architecture.
FROM --platform=$BUILDPLATFORM debian:12-slim AS mediamtx
# Pinned MediaMTX release, verified by checksum: the build fails when the tarball does not match.
ARG MEDIAMTX_VERSION=v1.20.1
ARG MEDIAMTX_SHA256
ARG TARGETARCH
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
RUN case "${TARGETARCH:-amd64}" in amd64) arch=amd64 ;; arm64) arch=arm64 ;; *) echo "unsupported arch ${TARGETARCH}" >&2; exit 1 ;; esac; \
    base="https://github.com/bluenviron/mediamtx/releases/download/${MEDIAMTX_VERSION}"; \
    asset="mediamtx_${MEDIAMTX_VERSION}_linux_${arch}.tar.gz"; \
    curl -fsSL -o /tmp/mediamtx.tar.gz "$base/$asset" \
    && expected="${MEDIAMTX_SHA256:-$(curl -fsSL "$base/checksums.sha256" | awk -v f="$asset" '$2 == f {print $1}')}" \
    && test -n "$expected" \
    && echo "$expected  /tmp/mediamtx.tar.gz" | sha256sum -c - \
    && tar -xzf /tmp/mediamtx.tar.gz -C /usr/local/bin mediamtx \
    && chmod 0755 /usr/local/bin/mediamtx

FROM debian:12-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="videosensor" \
      org.opencontainers.image.description="DaprCamera video sensor: USB and RTSP cameras over JSON-RPC, WebRTC, HLS and RTSP" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://example.invalid/daprcamera"
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 videosensor \
    && useradd --system --uid 10001 --gid videosensor --groups video --home-dir /var/lib/videosensor --shell /usr/sbin/nologin videosensor \
    && mkdir -p /var/lib/videosensor /etc/videosensor \
    && chown videosensor:videosensor /var/lib/videosensor
COPY --from=mediamtx /usr/local/bin/mediamtx /usr/local/bin/mediamtx
COPY --from=build /app /app
COPY deploy/config/videosensor.yaml /etc/videosensor/config.yaml

# Footprint on edge nodes: the executable is built with workstation, non-concurrent GC; a hard cap on the managed
# heap (override per node). The Native AOT runtime reads DOTNET_GC* values as hex digits without a 0x prefix (with
# one, it silently ignores the setting): 10000000 = 256 MiB.
ENV DOTNET_GCConserveMemory=5 \
    DOTNET_GCHeapHardLimit=10000000 \
    VIDEOSENSOR_CONFIG=/etc/videosensor/config.yaml

USER videosensor
WORKDIR /app
VOLUME ["/var/lib/videosensor"]
EXPOSE 8002 8003 8554 8889 8888 8000/udp 8001/udp 8189/udp
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8003/health/live || exit 1
ENTRYPOINT ["/app/VideoSensor"]
CMD ["run"]
