#!/usr/bin/env bash
# The test command (npm test): sets up what is missing, then lint, type check, and every test tier:
# unit (plain Node), integration (mocha inside the real VS Code extension host), UI (the packaged .vsix in the real
# workbench, driven in Chromium). Screenshots land in test-results/. The last line is "N passed, N failed".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
echo "[test] lint"; npx --no-install eslint --max-warnings=0 .
echo "[test] type check"; npx --no-install tsc -p tsconfig.json && npx --no-install tsc -p src/webview/tsconfig.json
echo "[test] build"; node scripts/build.mjs --tests
echo "[test] package"; npm run --silent package >/dev/null
exec node out/test/harness/run-all.js "$@"
