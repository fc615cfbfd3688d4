#!/usr/bin/env bash
# make lint: the code is as `swift format` writes it (.swift-format), and the C boundary holds.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
status=0

# 1. Formatting: format a copy of every Swift file and compare.
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
files=$(git ls-files -co --exclude-standard '*.swift' | grep -v '^\.build')
for f in $files; do mkdir -p "$copy/$(dirname "$f")"; cp "$f" "$copy/$f"; done
cp .swift-format "$copy/"
(cd "$copy" && "$SWIFT" format --in-place --parallel --configuration .swift-format $files)
unformatted=0
for f in $files; do
    if ! cmp -s "$f" "$copy/$f"; then
        [ $unformatted -eq 0 ] && echo "lint: not formatted as .swift-format says (run: swift format --in-place --recursive Sources Tests Plugins Benchmarks Package.swift):"
        echo "  $f"; diff -u "$f" "$copy/$f" | sed -n '3,12p' | sed 's/^/    /'
        unformatted=$((unformatted + 1))
    fi
done
[ $unformatted -eq 0 ] || status=1

# 2. The C boundary (a C module imported only internal or private, and only where it is wrapped) is
#    a build rule: Plugins/CBoundary fails the build of any target that breaks it.

# 3. Patterns are compiled when they are declared: no try! on a regular expression at run time.
if grep -rnE 'try! *(NSRegularExpression|Regex)' Sources; then
    echo "lint: a pattern compiled with try! traps the running server on a typo: use a Regex literal or a checked pattern"; status=1
fi

[ $status -eq 0 ] && echo "lint: $(echo "$files" | wc -w) Swift files formatted, no pattern compiled with try!"
exit $status
