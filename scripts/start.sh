#!/usr/bin/env bash
# The main job (npm start): sets up what is missing, packages the extension, then serves VS Code (code-server) on
# 127.0.0.1 with SEB Review installed and the demo run opened. Prints the URL; Ctrl+C stops it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
node scripts/build.mjs --tests
npm run --silent package >/dev/null
exec node out/test/harness/serve.js "$@"
