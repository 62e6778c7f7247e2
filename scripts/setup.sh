#!/usr/bin/env bash
# Installs what building and testing need, where it is missing, on a Debian machine (as
# root, or through sudo): the C libraries' -dev packages, PostgreSQL 15 (server and client),
# pkg-config, pip; puts Swift from /opt/swift on PATH when it is not there. Sourced by
# scripts/demo.sh, scripts/test.sh and .ci/run, so each README command works on a fresh
# machine with no step before it. Idempotent: prints what it installs, nothing else.
packages=(libpq-dev zlib1g-dev liblz4-dev libzstd-dev postgresql-15 postgresql-client-15 pkg-config python3-pip unzip)

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH=/opt/swift/usr/bin:$PATH
fi

setup_missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || setup_missing+=("$p")
done
if [ ${#setup_missing[@]} -gt 0 ]; then
    echo "setup: installing ${setup_missing[*]}"
    setup_sudo=()
    if [ "$(id -u)" != 0 ]; then setup_sudo=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    "${setup_sudo[@]}" apt-get update -qq
    "${setup_sudo[@]}" apt-get install -y -qq --no-install-recommends "${setup_missing[@]}" >/dev/null
    # The Debian package may have created and started a cluster of its own; ours start theirs.
    if command -v pg_ctlcluster >/dev/null 2>&1; then "${setup_sudo[@]}" pg_ctlcluster 15 main stop >/dev/null 2>&1 || true; fi
fi
unset setup_missing setup_sudo
