#!/usr/bin/env bash
# Installs what Claimdesk needs to build and run: Node 24 LTS (from the npm
# registry, into ~/.cache/claimdesk-node) and the project's dependencies.
# Source it (`. scripts/setup.sh`) so that Node 24 stays first on PATH.
set -euo pipefail
NODE_PREFIX="$HOME/.cache/claimdesk-node"
if ! "$NODE_PREFIX/node_modules/.bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  echo "Installing Node 24 LTS into $NODE_PREFIX…"
  npm install --silent --no-audit --no-fund --prefix "$NODE_PREFIX" node@24
fi
export PATH="$NODE_PREFIX/node_modules/.bin:$PATH"
echo "Using Node $(node --version), npm $(npm --version)"
# Electron's install script downloads its binary; skip it, then try it once and carry on.
npm ci --ignore-scripts --no-audit --no-fund
if node node_modules/electron/install.js >/dev/null 2>&1; then
  echo "Electron binary installed."
else
  echo "Electron binary could not be downloaded; \`npm start\` will use the browser host."
fi
set +euo pipefail
