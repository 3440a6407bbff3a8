#!/usr/bin/env bash
# THE run command: bash scripts/start.sh [--web|--desktop] [--port N] [--folder PATH]
# Installs what is missing, builds, and opens the extension in a real VS Code: code-server on
# 127.0.0.1 (prints the URL to open), or with a `code` binary on PATH the desktop Extension
# Development Host. Without MOONSHOT_API_KEY it runs against the project's test server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
desktop=0
if [[ " $* " == *" --desktop "* ]] || { command -v code >/dev/null && [[ " $* " != *" --web "* ]]; }; then desktop=1; fi
# code-server, Node 24 and Chromium are only needed for the web mode.
if [[ $desktop == 0 ]]; then bash scripts/vscode/install.sh; fi
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
node esbuild.mjs
exec node scripts/vscode/start.mjs "$@"
