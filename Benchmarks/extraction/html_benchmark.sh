#!/usr/bin/env bash
# Pages per second for Quarry's HTML extractor beside libxml2's own reader (xmllint --html, parse
# only: the floor for anything built on libxml2) and Python's lxml (parse, drop boilerplate, join
# the text), over the same real HTML corpus in one run: Python 3.11's manual from Debian's
# python3.11-doc package (every .html file under /usr/share/doc/python3.11/html). Each figure is
# the best of ROUNDS passes over all the files (files / seconds).
#
#   Benchmarks/extraction/html_benchmark.sh                 # ROUNDS=3
#
# Quarry's side is `quarry bench extract` from the release binary (what `make run` builds): the
# same DocumentExtractor a sync runs, on files already read into memory.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
ROUNDS="${ROUNDS:-3}"
scripts/setup.sh
swift build -c release --product quarry >/dev/null

corpus=/usr/share/doc/python3.11/html
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
find -L "$corpus" -name '*.html' -type f | sort >"$list"
files=$(wc -l <"$list")
bytes=$(xargs -a "$list" cat | wc -c)

best_of() {  # best_of COMMAND...: the fastest of ROUNDS runs, in seconds
    local best=""
    for _ in $(seq "$ROUNDS"); do
        local start end elapsed
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
        best=$(awk -v a="$elapsed" -v b="${best:-1e9}" 'BEGIN { print (a < b ? a : b) }')
    done
    echo "$best"
}

# xmllint: all files in one process (xargs splits only at its argument-length limit).
xmllint_seconds=$(best_of xargs -a "$list" xmllint --html --noout --nowarning)
lxml_seconds=$(.venv/bin/python Benchmarks/extraction/html_benchmark.py "$ROUNDS" $(cat "$list") | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')

quarry_line=$(.build/release/quarry bench extract --rounds "$ROUNDS" --list "$list" | grep '^QUARRY_BENCHMARK' || true)
quarry_seconds=$(echo "$quarry_line" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
if [ -z "$quarry_seconds" ]; then
    echo "html_benchmark: quarry bench extract printed no figure" >&2
    exit 1
fi

echo "HTML extraction, $files files, $((bytes / 1024 / 1024)) MiB, best of $ROUNDS, Quarry built release"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "$quarry_line"
printf '%-22s %9s %9s  %s\n' tool seconds pages/s "Quarry's time / tool's time"
for tool in quarry xmllint lxml; do
    seconds_var="${tool}_seconds"
    seconds="${!seconds_var}"
    ratio=$(awk -v q="$quarry_seconds" -v s="$seconds" 'BEGIN { printf "%.2f", q / s }')
    rate=$(awk -v f="$files" -v s="$seconds" 'BEGIN { printf "%.1f", f / s }')
    label="$tool"
    [ "$tool" = xmllint ] && label="xmllint (parse only)"
    printf '%-22s %9.3f %9s  %s\n' "$label" "$seconds" "$rate" "$ratio"
done
