#!/usr/bin/env bash
# Installs what Quarry needs to build, run and test, and nothing that is already there.
# Run by `make run`, `make test` and CI; quiet when everything is installed.
set -euo pipefail

APT_PACKAGES=(
    pkg-config
    libsqlite3-dev
    libcurl4-openssl-dev
    libxml2-dev
    libpoppler-glib-dev
    libopenblas-dev
)

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: swift is not on PATH; install Swift 6.2 or later (https://swift.org/install)" >&2
    exit 1
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}"
    as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            as_root=(sudo)
        else
            echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq >/dev/null
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages for tests and benchmarks, pinned; installed only when a pin is missing.
python=python3
if ! command -v "$python" >/dev/null 2>&1; then
    echo "setup: python3 is needed by the tests; install it (apt-get install python3 python3-pip)" >&2
    exit 1
fi
here="$(cd "$(dirname "$0")" && pwd)"
requirements="$here/requirements-test.txt"
missing_python="$("$python" "$here/check_requirements.py" "$requirements")"
if [ -n "$missing_python" ]; then
    echo "setup: installing Python packages: $(echo "$missing_python" | tr '\n' ' ')"
    "$python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
fi
