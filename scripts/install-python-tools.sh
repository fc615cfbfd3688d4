#!/usr/bin/env bash
# Installs the PyPI tools given as arguments (module=package pairs) that Python cannot import yet.
# mutagen is the independent tag and cover reader the audio tests check our files with.
set -euo pipefail
missing=()
for pair in "$@"; do
  module="${pair%%=*}"
  package="${pair#*=}"
  python3 -c "import $module" 2>/dev/null || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing missing Python packages: ${missing[*]}"
python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}"
