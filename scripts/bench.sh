#!/usr/bin/env bash
# Benchmarks (npm run bench -- NAME [options]): sets up what is missing, builds, packages, runs out/bench/NAME.js.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
name="${1:?usage: npm run bench -- NAME (one of: $(ls bench/*.ts | xargs -n1 basename | sed 's/\.ts$//' | grep -v stats | tr '\n' ' '))}"; shift
source scripts/setup.sh
node scripts/build.mjs --tests
npm run --silent package >/dev/null
exec node "out/bench/$name.js" "$@"
