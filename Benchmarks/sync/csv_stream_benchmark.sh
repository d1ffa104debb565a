#!/usr/bin/env bash
# A CSV export of SIZE_MB megabytes (default 1024) synced from a folder by the release binary:
# wall time, rows per second and the process's peak resident memory (GNU time), which must stay
# flat whatever the file's size (the file is streamed, never held in memory). Beside it, in the same
# run: Python's csv module reading the same file (parse only), and Python reading it and inserting
# the same rendered rows ("Column: value; …") into SQLite with Quarry's own passage table and FTS5
# index (same tokenizer, same trigger, 2,000 rows a transaction): the floor of any pipeline that
# indexes every row in SQLite FTS5.
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

# Keyword indexing only, as the Python side does: embedding (benchmarked in Benchmarks/embedding) would
# leave 9.4 million rows to the backfill, at tens of passages a second.
/usr/bin/time -f "%e %M" -o "$work/quarry.time" "$quarry" sync "$work/exports" --connector exports \
    --default-reader everyone --embeddings off --data-dir "$work/data" >"$work/quarry.out"
read -r quarry_seconds quarry_kb <"$work/quarry.time"
summary=$(tail -1 "$work/quarry.out")
passages=$("$quarry" documents --data-dir "$work/data" 2>/dev/null | awk '/projects.csv/ {print}' | head -1)

/usr/bin/time -f "%e %M" -o "$work/python.time" "$python" -c '
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    count = sum(1 for _ in csv.reader(handle)) - 1
print(count)' "$work/exports/projects.csv" >"$work/python.out"
read -r python_seconds python_kb <"$work/python.time"

/usr/bin/time -f "%e %M" -o "$work/fts.time" "$python" - "$work/exports/projects.csv" "$work/fts.sqlite" <<'PY'
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.executescript("""
PRAGMA journal_mode = WAL;
CREATE TABLE passage (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, ordinal INTEGER NOT NULL,
    text TEXT NOT NULL, heading TEXT NOT NULL, heading_path TEXT NOT NULL, title TEXT NOT NULL,
    start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, page INTEGER);
CREATE INDEX passage_document ON passage(document_id, ordinal);
CREATE VIRTUAL TABLE passage_fts USING fts5(text, heading, title, content = 'passage', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TRIGGER passage_fts_insert AFTER INSERT ON passage BEGIN
    INSERT INTO passage_fts(rowid, text, heading, title) VALUES (new.id, new.text, new.heading, new.title);
END;
""")
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    reader = csv.reader(handle)
    header = next(reader)
    batch, ordinal = [], 0
    for row in reader:
        batch.append((ordinal, "; ".join(f"{name}: {value}" for name, value in zip(header, row) if value)))
        ordinal += 1
        if len(batch) == 2000:
            with db:
                db.executemany("INSERT INTO passage (document_id, ordinal, text, heading, heading_path, title, "
                               "start_offset, end_offset) VALUES (1, ?, ?, '', '[]', 'Projects', 0, 0)", batch)
            batch = []
    with db:
        db.executemany("INSERT INTO passage (document_id, ordinal, text, heading, heading_path, title, "
                       "start_offset, end_offset) VALUES (1, ?, ?, '', '[]', 'Projects', 0, 0)", batch)
PY
read -r fts_seconds fts_kb <"$work/fts.time"

echo "CSV streaming, $((bytes >> 20)) MiB, $rows rows, Quarry built release"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "quarry sync: $summary"
echo "document: $passages"
printf '%-40s %9s %12s %14s  %s\n' what seconds rows/s "peak RSS MiB" "Quarry's time / its time"
line() {  # line LABEL SECONDS KB
    printf '%-40s %9s %12s %14s  %s\n' "$1" "$2" "$(awk -v r="$rows" -v s="$2" 'BEGIN { printf "%.0f", r / s }')" \
        "$(($3 / 1024))" "$(awk -v q="$quarry_seconds" -v s="$2" 'BEGIN { printf "%.2f", q / s }')"
}
line "quarry sync (spool, parse, index)" "$quarry_seconds" "$quarry_kb"
line "python csv.reader (parse only)" "$python_seconds" "$python_kb"
line "python csv + SQLite FTS5 (same schema)" "$fts_seconds" "$fts_kb"
