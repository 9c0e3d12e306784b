#!/bin/sh
# axe-core (the accessibility checker the browser tests inject into every page state) from the
# npm registry, into tests/.axe/ (not committed). Called by `make install-test`.
set -e
AXE_VERSION=4.14.1
DEST="$(dirname "$0")/../tests/.axe"
if [ -f "$DEST/node_modules/axe-core/axe.min.js" ] && \
   grep -q "\"version\": \"$AXE_VERSION\"" "$DEST/node_modules/axe-core/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
  else
    echo "npm is missing (the accessibility tests need axe-core): sudo apt-get install npm" >&2
    exit 1
  fi
fi
mkdir -p "$DEST"
npm install --prefix "$DEST" --no-save --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"
