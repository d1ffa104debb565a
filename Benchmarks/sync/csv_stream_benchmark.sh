#!/usr/bin/env bash
# A CSV export of SIZE_MB megabytes (default 1024) synced from a folder by the release binary:
# wall time, rows per second and the process's peak resident memory (GNU time), which must stay
# flat whatever the file's size (the file is streamed, never held in memory). Beside it, in the same
# run: Python's csv module reading the same file (parse only, no indexing): the floor of a
# pipeline that still has to index every row afterwards.
#
#   Benchmarks/sync/csv_stream_benchmark.sh                 # SIZE_MB=1024
#   SIZE_MB=100 Benchmarks/sync/csv_stream_benchmark.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
SIZE_MB="${SIZE_MB:-1024}"
scripts/setup.sh
swift build -c release --product quarry >/dev/null
quarry="$root/.build/release/quarry"
python="$root/.venv/bin/python"
command -v /usr/bin/time >/dev/null || { echo "csv_stream_benchmark: needs GNU time (apt-get install time)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/quarry-csv-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/exports"
"$python" - "$work/exports/projects.csv" "$SIZE_MB" <<'PY'
import random, sys
path, megabytes = sys.argv[1], int(sys.argv[2])
random.seed(7)
words = "alpha beta gamma delta budget project owner region north south east west quarterly review forecast".split()
with open(path, "w", encoding="utf-8", newline="") as out:
    out.write("Project,Budget,Owner,Region,Notes\r\n")
    index = 0
    limit = megabytes << 20
    while out.tell() < limit:
        notes = " ".join(random.choice(words) for _ in range(12))
        out.write(f'P{index:08d},{random.randint(1000, 999999)},Owner {index % 977},{random.choice(["North", "South", "East", "West"])},"{notes}"\r\n')
        index += 1
PY
bytes=$(stat -c %s "$work/exports/projects.csv")
rows=$(($(wc -l <"$work/exports/projects.csv") - 1))

/usr/bin/time -f "%e %M" -o "$work/quarry.time" "$quarry" sync "$work/exports" --connector exports \
    --default-reader everyone --data-dir "$work/data" >"$work/quarry.out"
read -r quarry_seconds quarry_kb <"$work/quarry.time"
summary=$(tail -1 "$work/quarry.out")
passages=$("$quarry" documents --data-dir "$work/data" 2>/dev/null | awk '/projects.csv/ {print}' | head -1)

/usr/bin/time -f "%e %M" -o "$work/python.time" "$python" -c '
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    count = sum(1 for _ in csv.reader(handle)) - 1
print(count)' "$work/exports/projects.csv" >"$work/python.out"
read -r python_seconds python_kb <"$work/python.time"

echo "CSV streaming, $((bytes >> 20)) MiB, $rows rows, Quarry built release"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "quarry sync: $summary"
echo "document: $passages"
printf '%-32s %9s %12s %14s\n' what seconds rows/s "peak RSS MiB"
printf '%-32s %9s %12s %14s\n' "quarry sync (parse + index)" "$quarry_seconds" \
    "$(awk -v r="$rows" -v s="$quarry_seconds" 'BEGIN { printf "%.0f", r / s }')" "$((quarry_kb / 1024))"
printf '%-32s %9s %12s %14s\n' "python csv.reader (parse only)" "$python_seconds" \
    "$(awk -v r="$rows" -v s="$python_seconds" 'BEGIN { printf "%.0f", r / s }')" "$((python_kb / 1024))"
