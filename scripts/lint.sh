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

# 2. The C boundary: every C module is imported internal (or private), and only where it is wrapped.
#    (`internal import` lets the compiler refuse any C type in a public or package declaration.)
allowed='^Sources/(Audio/Native|Torrent/Native)/|^Sources/Search/(Fetch/HTTPFetcher|HTTPLibraryInfo)\.swift|^Sources/Basics/(Digests|SafeName)\.swift|^Sources/Placement/Hashing/SHA256Hasher\.swift'
while IFS=: read -r file line text; do
    if ! [[ "$text" =~ ^(internal|private|fileprivate)\ import ]]; then
        echo "lint: $file:$line: a C module must be imported internal or private: $text"; status=1
    fi
    if ! [[ "$file" =~ $allowed ]]; then
        echo "lint: $file:$line: only the code that wraps a C library imports it (Native/, HTTPFetcher, the digest files): $text"; status=1
    fi
done < <(grep -rnE '^\s*(@_implementationOnly |public |package |internal |private |fileprivate )?import (CAudio|CLoudness|CTorrentShim|CCrypto|CCurl)\b' Sources || true)

# 3. Patterns are compiled when they are declared: no try! on a regular expression at run time.
if grep -rnE 'try! *(NSRegularExpression|Regex)' Sources; then
    echo "lint: a pattern compiled with try! traps the running server on a typo: use a Regex literal or a checked pattern"; status=1
fi

[ $status -eq 0 ] && echo "lint: $(echo "$files" | wc -w) Swift files formatted, C imports internal and in their wrappers"
exit $status
