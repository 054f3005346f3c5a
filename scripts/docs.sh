#!/usr/bin/env bash
# docs.sh generate: regenerate docs/ with tfplugindocs (offline) from the provider schema, examples/
#                   and templates/.
# docs.sh check:    regenerate into a scratch directory and fail when docs/ differs, so a change to
#                   a schema, an example or a template cannot land without its documentation.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-generate}"

# tfplugindocs runs `terraform providers schema`; point it at our terraform and never let it
# download one (no --tf-version).
if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ]; then
  export PATH="$(dirname "$TF_ACC_TERRAFORM_PATH"):$PATH"
fi
if ! command -v terraform >/dev/null 2>&1; then
  echo "docs.sh: no terraform binary found (see scripts/ensure-terraform.sh); cannot render docs" >&2
  exit 1
fi

case "$mode" in
generate)
  go tool tfplugindocs generate --provider-name lambdatrigger
  ;;
check)
  # tfplugindocs joins --rendered-website-dir onto the provider directory, so the scratch copy must
  # be a relative path inside the repository (ignored by git, removed on exit).
  scratch=".docs-check"
  rm -rf "$scratch"; mkdir -p "$scratch"
  trap 'rm -rf "$scratch"' EXIT
  go tool tfplugindocs generate --provider-name lambdatrigger --rendered-website-dir "$scratch/docs" >"$scratch/log" 2>&1 || {
    cat "$scratch/log" >&2; exit 1; }
  if ! diff -ru docs "$scratch/docs"; then
    echo "docs/ is stale: run 'make docs' and commit the result" >&2
    exit 1
  fi
  echo "docs/ is up to date"
  ;;
*)
  echo "usage: docs.sh generate|check" >&2; exit 2
  ;;
esac
