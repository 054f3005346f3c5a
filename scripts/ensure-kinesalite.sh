#!/usr/bin/env bash
# Prints the directory of a kinesalite install for the Kinesis differential test, installing it from
# the npm registry into .tools/kinesalite the first time. Prints nothing (and the test skips, saying
# why) when node or npm is missing or the install fails; it never fails the build.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.tools/kinesalite"
if [ -f "$dir/node_modules/kinesalite/db/index.js" ]; then echo "$dir"; exit 0; fi
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || exit 0
mkdir -p "$dir"
if (cd "$dir" && timeout 300 npm install --no-audit --no-fund --silent kinesalite@3.3.3 >/dev/null 2>&1); then
  [ -f "$dir/node_modules/kinesalite/db/index.js" ] && echo "$dir"
fi
exit 0
