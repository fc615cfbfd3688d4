#!/usr/bin/env python3
"""Writes an OCI image layout directory as an OCI archive (a tar of the layout) with every layer
gzipped again by zlib at level 9, one layer per core.

    oci-gzip.py LAYOUT_DIR ARCHIVE IMAGE_NAME

`buildah push` and `podman push` compress with pgzip (and reuse the blobs they stored, whatever
compression is asked for): its output was 8 % larger than zlib's level 9 on this image's application
layer (docs/NOTES.md). The archive's size is what a NAS downloads.
IMAGE_NAME goes in the index as `org.opencontainers.image.ref.name` (podman load) and
`io.containerd.image.name` (docker load), so both name the image they load. A `manifest.json` in
the format of `docker save` sits beside the layout, naming the same config and layer blobs: Docker
engines before 24 read only that file (Synology's Container Manager runs 20.10).
"""
import gzip
import hashlib
import json
import os
import shutil
import sys
import tarfile
from concurrent.futures import ProcessPoolExecutor

UNCOMPRESSED = "application/vnd.oci.image.layer.v1.tar"
GZIPPED = "application/vnd.oci.image.layer.v1.tar+gzip"


def blob_path(layout, digest):
    algorithm, value = digest.split(":", 1)
    return os.path.join(layout, "blobs", algorithm, value)


def write_blob(layout, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(blob_path(layout, digest), "wb") as out:
        out.write(data)
    return digest, len(data)


def gzip_layer(args):
    layout, digest, media_type = args
    source = blob_path(layout, digest)
    target = source + ".gz.partial"
    sha = hashlib.sha256()
    size = 0

    class Counting:
        def write(self, chunk):
            nonlocal size
            sha.update(chunk)
            size += len(chunk)
            out.write(chunk)

        def flush(self):
            out.flush()

    opener = gzip.open if media_type == GZIPPED else open
    with opener(source, "rb") as src, open(target, "wb") as out:
        # mtime 0 and no file name: the same layer always gives the same bytes (and digest).
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=Counting(), mtime=0) as gz:
            shutil.copyfileobj(src, gz, 1 << 20)
    gz_digest = "sha256:" + sha.hexdigest()
    os.replace(target, blob_path(layout, gz_digest))
    return digest, gz_digest, size


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: oci-gzip.py LAYOUT_DIR ARCHIVE IMAGE_NAME")
    layout, archive, name = sys.argv[1:]
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    if len(index.get("manifests", [])) != 1:
        sys.exit(f"{layout}/index.json: expected one manifest, found {len(index.get('manifests', []))}")
    descriptor = index["manifests"][0]
    with open(blob_path(layout, descriptor["digest"]), "rb") as f:
        manifest = json.load(f)
    layers = [(layout, layer["digest"], layer["mediaType"]) for layer in manifest["layers"]]
    unknown = [media for _, _, media in layers if media not in (UNCOMPRESSED, GZIPPED)]
    if unknown:
        sys.exit(f"{layout}: layers of a kind this script does not recompress: {unknown}")
    # A layer listed twice (two identical layers) is recompressed once.
    unique = list({digest: (layout, digest, media) for layout, digest, media in layers}.values())
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = {old: (new, size) for old, new, size in pool.map(gzip_layer, unique)}
    removed = set()
    for layer in manifest["layers"]:
        old = layer["digest"]
        layer["mediaType"] = GZIPPED
        layer["digest"], layer["size"] = done[old]
        if done[old][0] != old and old not in removed:
            os.remove(blob_path(layout, old))
            removed.add(old)
    old_manifest = descriptor["digest"]
    descriptor["digest"], descriptor["size"] = write_blob(layout, json.dumps(manifest, separators=(",", ":")).encode())
    if old_manifest != descriptor["digest"]:
        os.remove(blob_path(layout, old_manifest))
    descriptor.setdefault("annotations", {})
    descriptor["annotations"]["org.opencontainers.image.ref.name"] = name
    descriptor["annotations"]["io.containerd.image.name"] = name
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f, separators=(",", ":"))

    def blob_name(digest):
        return "blobs/" + digest.replace(":", "/", 1)

    legacy = [{
        "Config": blob_name(manifest["config"]["digest"]),
        "RepoTags": [name],
        "Layers": [blob_name(layer["digest"]) for layer in manifest["layers"]],
    }]
    with open(os.path.join(layout, "manifest.json"), "w") as f:
        json.dump(legacy, f, separators=(",", ":"))

    partial = archive + ".partial"
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        for entry in ["oci-layout", "index.json", "manifest.json", "blobs"]:
            tar.add(os.path.join(layout, entry), arcname=entry,
                    filter=lambda info: (setattr(info, "uid", 0), setattr(info, "gid", 0), setattr(info, "uname", ""),
                                         setattr(info, "gname", ""), setattr(info, "mtime", 0), info)[-1])
    os.replace(partial, archive)


if __name__ == "__main__":
    main()
