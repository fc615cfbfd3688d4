#!/usr/bin/env bash
# make dist: the release binary with the Swift standard library and Foundation linked statically,
# stripped (debug symbols kept beside it), and a Debian package of it built with dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
VERSION="$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/Server/Routes/StatusRoutes.swift)"
ARCH="$(dpkg --print-architecture)"

# Built as `make test` builds (same folder, same flags: the tests compile nothing again), then linked
# once more with the Swift runtime and Foundation static (scripts/relink-static.py says why).
"$SWIFT" build -c release --product downloader2 --scratch-path .build-dist
mkdir -p dist
built=".build-dist/release/downloader2-static"
python3 scripts/relink-static.py .build-dist/release.yaml downloader2 "$built"
objcopy --only-keep-debug "$built" dist/downloader2.debug
objcopy --strip-debug --strip-unneeded --add-gnu-debuglink=dist/downloader2.debug "$built" dist/downloader2.partial
chmod 0755 dist/downloader2.partial
mv -f dist/downloader2.partial dist/downloader2
if ldd dist/downloader2 | grep -q /opt/swift; then echo "dist/downloader2 still needs the Swift toolchain:"; ldd dist/downloader2 | grep /opt/swift; exit 1; fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
install -D -m 0755 dist/downloader2 "$root/usr/bin/downloader2"
install -D -m 0644 scripts/packaging/downloader2.service "$root/lib/systemd/system/downloader2.service"
install -D -m 0755 scripts/packaging/container-entrypoint "$root/usr/lib/downloader2/container-entrypoint"
install -D -m 0644 README.md "$root/usr/share/doc/downloader2/README.md"
# The commented example, with the paths of a NAS install.
mkdir -p "$root/etc/downloader2"
sed -e 's|^path = "./data/downloader2.db".*|path = "/var/lib/downloader2/downloader2.db"|' \
    -e 's|^download_path = "./data/downloads".*|download_path = "/var/lib/downloader2/downloads"|' \
    -e 's|^temp_dir = "./data/tmp".*|temp_dir = "/var/lib/downloader2/tmp"|' \
    config.example.toml > "$root/etc/downloader2/config.toml"
chmod 0640 "$root/etc/downloader2/config.toml"
# The same defaults readable by anyone (the file above is the service's, 0640): the container
# entrypoint makes /config/config.toml from it, also when it runs as an unprivileged user.
install -D -m 0644 "$root/etc/downloader2/config.toml" "$root/usr/share/downloader2/config.toml"

# Depends: derived from the binary by dpkg-shlibdeps, never typed by hand.
shlib="$(mktemp -d)"
mkdir -p "$shlib/debian"
printf 'Source: downloader2\n\nPackage: downloader2\nArchitecture: any\n' > "$shlib/debian/control"
depends="$(cd "$shlib" && dpkg-shlibdeps -O "$OLDPWD/dist/downloader2" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
rm -rf "$shlib"
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies"; exit 1; }

mkdir -p "$root/DEBIAN"
install -m 0755 scripts/packaging/postinst scripts/packaging/prerm scripts/packaging/postrm "$root/DEBIAN/"
echo "/etc/downloader2/config.toml" > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/control" <<CONTROL
Package: downloader2
Version: $VERSION
Architecture: $ARCH
Maintainer: downloader2 developers <downloader2@localhost>
Depends: $depends, adduser
Section: sound
Priority: optional
Installed-Size: $(du -sk "$root" | cut -f1)
Description: finds, downloads, converts and places albums for a music catalog
 One binary that takes download tickets from a music catalog server, finds the album on
 torrent indexers, downloads it with an embedded BitTorrent engine, converts and tags it
 in-process and places every track where the ticket says.
CONTROL
# Written beside and renamed: a .deb is never seen half-written.
dpkg-deb --root-owner-group --build "$root" "dist/.downloader2_${VERSION}_${ARCH}.deb.partial" >/dev/null
mv -f "dist/.downloader2_${VERSION}_${ARCH}.deb.partial" "dist/downloader2_${VERSION}_${ARCH}.deb"
echo "dist/downloader2 ($(du -h dist/downloader2 | cut -f1), debug symbols in dist/downloader2.debug)"
echo "dist/downloader2_${VERSION}_${ARCH}.deb  Depends: $depends, adduser"
