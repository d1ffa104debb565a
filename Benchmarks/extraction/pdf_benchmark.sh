#!/usr/bin/env bash
# Pages per second for Quarry's PDF extractor beside pdftotext (poppler-utils) and pypdf, over the
# same real PDFs from Debian's documentation packages, in one run. Each figure is the best of
# ROUNDS passes over all the files (total pages / seconds).
#
#   Benchmarks/extraction/pdf_benchmark.sh                 # release build of the tests (default)
#   CONFIG=debug ROUNDS=5 Benchmarks/extraction/pdf_benchmark.sh
#
# Quarry's side runs as an environment-gated test (PDFBenchmarkTests.pagesPerSecond), since the
# package has no benchmark executable; `swift test -c $CONFIG` builds it (the first release build
# of the package and its tests takes 15 minutes or more on 2 cores).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
CONFIG="${CONFIG:-release}"
ROUNDS="${ROUNDS:-3}"
scripts/setup.sh

pdfs=(
    /usr/share/developers-reference/developers-reference.pdf  # developers-reference: pdfTeX (Sphinx), 114 pages
    /usr/share/doc/gnuplot/gnuplot.pdf                        # gnuplot-doc: pdfTeX, 311 pages
)
pages=0
for pdf in "${pdfs[@]}"; do
    pages=$((pages + $(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')))
done

rate() { awk -v p="$pages" -v s="$1" 'BEGIN { printf "%.1f", p / s }'; }

# pdftotext: one process per file, as a shell pipeline would run it.
best=""
for _ in $(seq "$ROUNDS"); do
    start=$(date +%s.%N)
    for pdf in "${pdfs[@]}"; do pdftotext -q "$pdf" /dev/null; done
    end=$(date +%s.%N)
    elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    best=$(awk -v a="$elapsed" -v b="${best:-1e9}" 'BEGIN { print (a < b ? a : b) }')
done
pdftotext_seconds=$best

pypdf_seconds=$(.venv/bin/python Benchmarks/extraction/pdf_benchmark.py "$ROUNDS" "${pdfs[@]}" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')

# `swift test` builds what is missing (in release too: unlike `swift build --build-tests`, it
# enables the testable imports some test targets use), then runs the one benchmark test.
quarry_line=$(QUARRY_BENCHMARK=1 QUARRY_BENCHMARK_ROUNDS="$ROUNDS" QUARRY_BENCHMARK_PDFS="${pdfs[*]}" \
    swift test -c "$CONFIG" --filter PDFBenchmarkTests/pagesPerSecond 2>&1 | grep '^QUARRY_BENCHMARK' || true)
quarry_seconds=$(echo "$quarry_line" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
if [ -z "$quarry_seconds" ]; then
    echo "pdf_benchmark: the Quarry benchmark test printed no figure" >&2
    exit 1
fi

echo "PDF extraction, ${#pdfs[@]} files, $pages pages, best of $ROUNDS, Quarry built $CONFIG"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-10s %9s %9s  %s\n' tool seconds pages/s "Quarry's time / tool's time"
for tool in quarry pdftotext pypdf; do
    seconds_var="${tool}_seconds"
    seconds="${!seconds_var}"
    ratio=$(awk -v q="$quarry_seconds" -v s="$seconds" 'BEGIN { printf "%.2f", q / s }')
    printf '%-10s %9.3f %9s  %s\n' "$tool" "$seconds" "$(rate "$seconds")" "$ratio"
done
