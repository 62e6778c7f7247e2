#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh), makes the
# PostgreSQL 16, 17 and 18 binaries of the oracle available (scripts/fetch-pg-binaries.sh),
# then runs the whole suite (swift test), passing on any further arguments
# (e.g. --filter DumpOracleTests).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
bash scripts/fetch-pg-binaries.sh
exec swift test --disable-swift-testing "$@"
