#!/usr/bin/env python3
"""Links an executable SwiftPM has built again, with the Swift runtime and Foundation linked statically.

Usage: relink-static.py BUILD_YAML PRODUCT OUTPUT

`swift build --static-swift-stdlib` passes -static-stdlib to every module's compile as well as to the
link, so a build for the tests and a build for the NAS share nothing and each compiles every module
(make test would compile the whole package twice in release mode). Instead `make dist` builds like the
tests do and repeats only the product's link command, read from SwiftPM's build manifest, with
-static-stdlib added and another output path. The result is checked by make-dist.sh (no library from
the toolchain) and by the appliance tests.
"""
import glob
import json
import os
import re
import subprocess
import sys


def link_arguments(manifest: str, product: str) -> list[str]:
    command = None
    with open(manifest, encoding="utf-8") as handle:
        for line in handle:
            if re.match(rf'\s*"C\.{re.escape(product)}-[^"]*\.exe":\s*$', line):
                command = line
            elif command is not None and line.strip().startswith("args:"):
                return json.loads(line.split("args:", 1)[1])
    raise SystemExit(f"relink-static: no link command for '{product}' in {manifest} (build the product first)")


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    manifest, product, output = sys.argv[1:]
    arguments = link_arguments(manifest, product)
    if "-o" not in arguments:
        raise SystemExit(f"relink-static: the link command of '{product}' names no output")
    arguments[arguments.index("-o") + 1] = output
    if "-static-stdlib" not in arguments:
        arguments.insert(arguments.index("-emit-executable"), "-static-stdlib")
    # Modules compiled against the shared Foundation name only "Foundation" for the linker (the shared
    # library brings its own dependencies); linked statically, its archives need each other and
    # libxml2 and libcurl from the system. The linker takes from a group only what is used.
    static = os.path.join(os.path.dirname(os.path.realpath(arguments[0])), "..", "lib", "swift_static", "linux")
    archives = sorted(glob.glob(os.path.join(os.path.normpath(static), "lib*.a")))
    if not archives:
        raise SystemExit(f"relink-static: no static Swift libraries in {static}")
    arguments += ["-Xlinker", "--start-group"] + [flag for archive in archives for flag in ("-Xlinker", archive)] + ["-Xlinker", "--end-group", "-lxml2", "-lcurl"]
    subprocess.run(arguments, check=True)


if __name__ == "__main__":
    main()
