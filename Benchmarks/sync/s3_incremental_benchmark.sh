#!/usr/bin/env bash
# Incremental sync of COUNT unchanged S3 objects (default 10,000) against a real S3 API server
# (moto_server on loopback): the wall time of `quarry sync --connector NAME` when nothing changed,
# and the number of documents it re-extracted (its summary's added + updated: must be 0), with and
# without per-object metadata reads (metadata_acl). Beside it, in the same run, the floor any S3
# sync tool pays to learn that nothing changed: boto3 listing every key (and HEADing each one when
# metadata is read), 8 requests in flight as Quarry's default.
#
#   Benchmarks/sync/s3_incremental_benchmark.sh            # COUNT=10000 ROUNDS=3
#
# Uses the release binary (`swift build -c release --product quarry`, what `make run` builds).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
COUNT="${COUNT:-10000}"
ROUNDS="${ROUNDS:-3}"
scripts/setup.sh
swift build -c release --product quarry >/dev/null
quarry="$root/.build/release/quarry"
python="$root/.venv/bin/python"

work="$(mktemp -d)"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$root/.venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null; rm -rf "$work"' EXIT
endpoint="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$endpoint" && break; sleep 0.1; done

fill_start=$(date +%s.%N)
"$python" Benchmarks/sync/s3_bucket.py fill "$endpoint" bench "$COUNT"
fill_end=$(date +%s.%N)

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }

echo "S3 incremental sync, $COUNT unchanged objects in moto_server $("$python" -c 'import moto; print(moto.__version__)'), best of $ROUNDS"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "bucket filled in $(seconds "$fill_start" "$fill_end") s"
printf '%-14s %10s %10s %12s %10s  %s\n' metadata_acl first_s again_s re-extracted floor_s "Quarry / floor"
for metadata in true false; do
    data="$work/data-$metadata"
    cat >"$work/bench-$metadata.yaml" <<YAML
name: bench
type: s3
endpoint: $endpoint
bucket: bench
access_key_id: AKIDBENCH
secret_access_key: bench-secret
metadata_acl: $metadata
default_readers: [everyone]
YAML
    "$quarry" connectors add --file "$work/bench-$metadata.yaml" --data-dir "$data" >/dev/null
    start=$(date +%s.%N)
    first=$("$quarry" sync --connector bench --embeddings off --data-dir "$data" | tail -1)
    end=$(date +%s.%N)
    first_seconds=$(seconds "$start" "$end")
    case "$first" in *"added=$COUNT "*) ;; *) echo "first sync did not add $COUNT documents: $first" >&2; exit 1 ;; esac
    agains=()
    summary=""
    for _ in $(seq "$ROUNDS"); do
        start=$(date +%s.%N)
        summary=$("$quarry" sync --connector bench --embeddings off --data-dir "$data" | tail -1)
        end=$(date +%s.%N)
        agains+=("$(seconds "$start" "$end")")
    done
    added=$(echo "$summary" | sed -n 's/.*added=\([0-9]*\).*/\1/p')
    updated=$(echo "$summary" | sed -n 's/.*updated=\([0-9]*\).*/\1/p')
    case "$summary" in *"unchanged=$COUNT "*) ;; *) echo "incremental sync was not all unchanged: $summary" >&2; exit 1 ;; esac
    floors=()
    head=0
    [ "$metadata" = true ] && head=1
    for _ in $(seq "$ROUNDS"); do
        floors+=("$("$python" Benchmarks/sync/s3_bucket.py walk "$endpoint" bench "$head" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')")
    done
    again=$(best "${agains[@]}")
    floor=$(best "${floors[@]}")
    ratio=$(awk -v q="$again" -v f="$floor" 'BEGIN { printf "%.2f", q / f }')
    printf '%-14s %10s %10s %12s %10s  %s\n' "$metadata" "$first_seconds" "$again" "$((added + updated))" "$floor" "$ratio"
done
