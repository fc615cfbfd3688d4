#!/usr/bin/env bash
# make image: the container image of Containerfile, built with docker, podman or buildah (the first
# that works here), from the .deb `make dist` built; written as an OCI archive,
# dist/downloader2-image.tar, that `docker load` and `podman load` take (with a manifest.json beside
# the OCI index for Docker engines before 24; a docker before 25 writes docker save's own format). Layers are gzipped by zlib at
# level 9 (scripts/image/oci-gzip.py): buildah's own gzip made a 156 MB archive of this image.
#
#   IMAGE_ENGINE=docker|podman|buildah   which builder (default: the first that works)
#   IMAGE_BASE=<image>                   the Debian 12 base (default: debian:12-slim; when it cannot
#                                        be pulled, one made here by scripts/image/debian-base.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION="$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/Server/Routes/StatusRoutes.swift)"
ARCH="$(dpkg --print-architecture)"
DEB="dist/downloader2_${VERSION}_${ARCH}.deb"
TAG="localhost/downloader2:$VERSION"
ARCHIVE="dist/downloader2-image.tar"
LIMIT_MB=150

[ -f "$DEB" ] || { echo "$DEB is missing: run make dist first"; exit 1; }

engine="${IMAGE_ENGINE:-}"
if [ -z "$engine" ]; then
    if command -v docker >/dev/null && docker info >/dev/null 2>&1; then engine=docker
    elif command -v buildah >/dev/null; then engine=buildah
    elif command -v podman >/dev/null; then engine=podman
    else echo "make image needs docker (with a running engine), podman or buildah"; exit 1; fi
fi

base="${IMAGE_BASE:-}"
if [ -z "$base" ]; then
    base="docker.io/library/debian:12-slim"
    case "$engine" in
    docker) docker image inspect "$base" >/dev/null 2>&1 || docker pull -q "$base" >/dev/null 2>&1 || base="" ;;
    podman) podman image exists "$base" 2>/dev/null || podman pull -q "$base" >/dev/null 2>&1 || base="" ;;
    buildah) buildah inspect --type image "$base" >/dev/null 2>&1 || buildah pull -q "$base" >/dev/null 2>&1 || base="" ;;
    esac
    if [ -z "$base" ]; then
        [ "$engine" != docker ] || { echo "docker cannot pull debian:12-slim: set IMAGE_BASE to a Debian 12 image it has"; exit 1; }
        command -v podman >/dev/null || { echo "debian:12-slim cannot be pulled, and making a base here needs podman (podman import)"; exit 1; }
        echo "debian:12-slim cannot be pulled here: a Debian 12 base made with debootstrap instead"
        base="$(scripts/image/debian-base.sh)"
    fi
fi
echo "building $TAG with $engine on $base"

# The build context is the .deb and the Containerfile, not the repository (its build folders are GBs).
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/dist"
cp "$DEB" "$context/dist/"
cp Containerfile "$context/"

mkdir -p dist
rm -f "$ARCHIVE.partial"
case "$engine" in
docker)
    # Docker reads only a file named Dockerfile unless told; RUN --mount needs BuildKit.
    DOCKER_BUILDKIT=1 docker build -q -f "$context/Containerfile" --build-arg BASE="$base" -t "$TAG" "$context" >/dev/null
    # Docker 25 and later save an OCI layout (uncompressed layers); earlier ones only their own format.
    mkdir -p "$context/layout"
    docker save "$TAG" | tar -x -C "$context/layout"
    if [ -f "$context/layout/oci-layout" ]; then
        python3 scripts/image/oci-gzip.py "$context/layout" "$ARCHIVE.partial" "$TAG"
    else
        echo "this docker ($(docker version -f '{{.Server.Version}}')) saves no OCI layout: $ARCHIVE is docker save's own format, gzipped (docker load takes it)"
        tar -C "$context/layout" -c . | gzip -9 > "$ARCHIVE.partial"
    fi
    ;;
podman)
    podman build -q --format docker --build-arg BASE="$base" -t "$TAG" "$context" >/dev/null
    podman push --quiet "$TAG" "oci:$context/layout:$TAG"
    python3 scripts/image/oci-gzip.py "$context/layout" "$ARCHIVE.partial" "$TAG"
    ;;
buildah)
    # --isolation chroot: no user namespace or cgroup is needed (the only way that runs in some VMs).
    buildah build --quiet --isolation chroot --format docker --build-arg BASE="$base" -t "$TAG" "$context" >/dev/null
    buildah push --quiet "$TAG" "oci:$context/layout:$TAG"
    python3 scripts/image/oci-gzip.py "$context/layout" "$ARCHIVE.partial" "$TAG"
    ;;
*) echo "IMAGE_ENGINE must be docker, podman or buildah, not '$engine'"; exit 1 ;;
esac
mv -f "$ARCHIVE.partial" "$ARCHIVE"
# Earlier builds of the image, now untagged, go (only downloader2's: the label says which).
case "$engine" in
docker) docker image prune -f --filter label=org.opencontainers.image.title=downloader2 >/dev/null ;;
podman) podman image prune -f --filter label=org.opencontainers.image.title=downloader2 >/dev/null ;;
buildah) ! command -v podman >/dev/null || podman image prune -f --filter label=org.opencontainers.image.title=downloader2 >/dev/null ;;
esac

# MB as docker and podman print them: 10^6 bytes.
size_mb=$(( ($(stat -c %s "$ARCHIVE") + 999999) / 1000000 ))
echo "$ARCHIVE: $TAG, ${size_mb} MB (goal ≤ ${LIMIT_MB} MB); load it with: docker load -i $ARCHIVE (or podman load)"
