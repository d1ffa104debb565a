#!/usr/bin/env bash
# The guardrails benchmark: PII detection beside Presidio, and the content filters on a labelled set.
# Installs the Python side in .venv-bench (apart from the test environment), builds Quarry in
# release mode, and prints the tables that docs/benchmarks.md quotes.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv-bench/bin/python ]; then python3 -m venv .venv-bench; fi
.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check -r Benchmarks/guardrails/requirements.txt
swift build -c release --product quarry
.venv-bench/bin/python Benchmarks/guardrails/pii_benchmark.py --quarry .build/release/quarry --samples "${SAMPLES:-2000}" --seed "${SEED:-42}"
echo
.venv-bench/bin/python Benchmarks/guardrails/toxicity_benchmark.py --quarry .build/release/quarry
