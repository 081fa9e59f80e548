#!/usr/bin/env bash
# Quick start: set up, build and open Claimdesk on the bundled sample corpus.
cd "$(dirname "$0")/.." || exit 1
. scripts/setup.sh || exit 1
exec npm start -- "$@"
