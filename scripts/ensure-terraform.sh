#!/usr/bin/env bash
# Prints the path of a terraform binary for the tests and the demo, building one when none exists.
#
# Order: $TF_ACC_TERRAFORM_PATH if set and executable; `terraform` on PATH; `tofu` on PATH; a
# previously built .tools/bin/tofu; otherwise build OpenTofu from the Go module proxy into
# .tools/bin (about 5 minutes and 2 GB of memory: `go install` of terraform or OpenTofu fails because
# of replace directives in their go.mod, so the module is copied out of the cache and built in place).
# Prints nothing and exits 0 with LAMBDATRIGGER_NO_TERRAFORM_BUILD=1 when none is found, so
# acceptance tests skip and say why.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tofu_version="${LAMBDATRIGGER_TOFU_VERSION:-v1.10.6}"

if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "${TF_ACC_TERRAFORM_PATH}" ]; then
  echo "$TF_ACC_TERRAFORM_PATH"; exit 0
fi
for name in terraform tofu; do
  if path="$(command -v "$name" 2>/dev/null)"; then echo "$path"; exit 0; fi
done
if [ -x "$root/.tools/bin/tofu" ]; then echo "$root/.tools/bin/tofu"; exit 0; fi
if [ "${LAMBDATRIGGER_NO_TERRAFORM_BUILD:-}" = 1 ]; then exit 0; fi

echo "terraform not found on PATH: building OpenTofu $tofu_version into .tools/bin (takes a few minutes)" >&2
scratch="$(mktemp -d)"
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
dir="$(go mod download -json "github.com/opentofu/opentofu@$tofu_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
cp -r "$dir" "$scratch/src" && chmod -R u+w "$scratch/src"
mkdir -p "$root/.tools/bin"
(cd "$scratch/src" && go build -o "$root/.tools/bin/tofu" ./cmd/tofu) >&2
echo "$root/.tools/bin/tofu"
