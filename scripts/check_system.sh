#!/usr/bin/env bash
# Checks the system packages Bunga Desa needs before `make run` / `make test` build the virtualenv.
# Exits non-zero with the exact install command when something is missing. Never installs anything itself.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
missing=0

say() { printf '%s\n' "$*" >&2; }

# 1. Python >= 3.11 with the venv module (Debian/Ubuntu ship it separately as python3-venv).
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    say "ERROR: $PYTHON not found. Bunga Desa needs Python 3.11 or newer."
    say "       Debian/Ubuntu: sudo apt-get install -y python3 python3-venv"
    missing=1
elif ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    say "ERROR: '$PYTHON' is not a working Python 3.11 or newer ($("$PYTHON" --version 2>/dev/null || echo 'it does not run'))."
    say "       Install a newer python3 and run: make PYTHON=/path/to/python3.11 run"
    missing=1
elif ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    say "ERROR: the Python venv module is missing (needed to create .venv)."
    say "       Debian/Ubuntu: sudo apt-get install -y python3-venv"
    missing=1
fi

# 2. Pango, HarfBuzz and a font for WeasyPrint (PDF reports). WeasyPrint loads these C libraries at run time.
LDCONFIG="$(command -v ldconfig || echo /sbin/ldconfig)"  # /sbin is not on a normal user's PATH on Debian
# Read the cache once: `ldconfig -p | grep -q` under pipefail fails at random when grep exits early (SIGPIPE).
libcache="$("$LDCONFIG" -p 2>/dev/null || true)"
libs_missing=()
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0; do
    if ! grep -qF "$lib" <<<"$libcache"; then
        libs_missing+=("$lib")
    fi
done
if ((${#libs_missing[@]})); then
    say "ERROR: WeasyPrint (PDF reports) needs Pango; missing shared libraries: ${libs_missing[*]}"
    say "       Debian/Ubuntu: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core"
    missing=1
fi
if command -v fc-list >/dev/null 2>&1 && ! grep -qi dejavu <<<"$(fc-list 2>/dev/null || true)"; then
    say "WARNING: the DejaVu fonts are not installed; PDF reports will fall back to another font."
    say "         Debian/Ubuntu: sudo apt-get install -y fonts-dejavu-core"
fi

if ((missing)); then
    say ""
    say "System check failed: install the packages above, then run the make command again."
    exit 1
fi
echo "System check OK: $("$PYTHON" --version 2>&1), Pango and HarfBuzz found."
