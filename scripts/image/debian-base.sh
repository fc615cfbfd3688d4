#!/usr/bin/env bash
# A Debian 12 base image made on this machine from Debian's archive, for `make image` and its test when
# no registry is reachable: `debootstrap --variant=minbase bookworm`, trimmed the way debian:12-slim is
# (no documentation, manual pages or translations; no apt lists or downloaded packages), then imported
# into the local container storage with `podman import`. Prints the image's name.
#
# The image stays in the machine's container storage, so a machine pays for it once: a second run (a
# new clone included) finds it and prints its name. REFRESH_BASE=1 makes it again (security updates).
set -euo pipefail
NAME="${BASE_IMAGE:-localhost/downloader2-base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ -z "${REFRESH_BASE:-}" ] && podman image exists "$NAME"; then
    echo "$NAME"
    exit 0
fi

work="$(mktemp -d /var/tmp/downloader2-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
echo "debootstrap --variant=minbase bookworm from $MIRROR (about a minute)" >&2
if ! debootstrap --variant=minbase bookworm "$root" "$MIRROR" > "$work/debootstrap.log" 2>&1; then
    tail -20 "$work/debootstrap.log" >&2
    echo "debootstrap failed (log above)" >&2
    exit 1
fi

# What debian:12-slim leaves out, for this image and for every package installed on it later.
cat > "$root/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CFG
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root/usr/share/man/"* "$root/usr/share/info/"* "$root/usr/share/groff/"* "$root/usr/share/lintian/"*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
# apt keeps neither downloaded packages nor lists in an image; security and point-release updates too.
cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
CFG
cat > "$root/etc/apt/sources.list" <<LIST
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin
rm -f "$root/etc/hostname" "$root/etc/resolv.conf"
: > "$root/etc/machine-id"

tar --numeric-owner --xattrs -C "$root" -cf "$work/rootfs.tar" .
podman import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' "$work/rootfs.tar" "$NAME" >&2
echo "$NAME"
