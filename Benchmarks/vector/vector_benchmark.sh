#!/usr/bin/env bash
# Quarry's vector index (QuarryVector) beside faiss-cpu, hnswlib and usearch on the same seeded,
# clustered 384-dimensional unit vectors, in one run, one thread each:
#   - exact Float32 scan (ms/query; also as a multiple of the bandwidth floor: bytes ÷ measured
#     read bandwidth, one and two threads), numpy and faiss IndexFlatIP; batches of 64 on 1 and 2
#     threads for Quarry and faiss, and OpenBLAS's sgemm on the same batches;
#   - int8 scan + Float32 re-rank (Quarry) beside faiss SQ8;
#   - HNSW build time (wall and CPU), queries/s and recall@10 per ef for Quarry, faiss HNSWFlat,
#     hnswlib and usearch (same M and efConstruction);
#   - filtered search at 50%, 10%, 1% and 0.1% allowed: Quarry's allowed-set bitset and planner,
#     faiss IDSelectorBitmap (flat and HNSW), hnswlib's filter, usearch post-filtering (its Python
#     binding has no predicate search);
#   - start-up: saving and loading (memory-mapped, checksums verified or not) an index.
# The HNSW sweeps run ROUNDS times (default 3), alternating Quarry and the peers on the saved
# indexes; `best` lines give each measurement's best round (on a shared host, the least disturbed).
# recall@10 is against exact search over the same allowed set (numpy), with held-out queries.
#
#   Benchmarks/vector/vector_benchmark.sh                  # 100,000 vectors
#   N=1000000 PARTS=flat,startup Benchmarks/vector/vector_benchmark.sh
#   PARTS=flat,hnsw,startup M=16 EFC=200 SEED=20261202 Benchmarks/vector/vector_benchmark.sh
#
# Both sides print the wall time and the CPU time of each measurement: on a machine shared with
# other work, CPU time is the one to compare (memory-bandwidth contention still shows in both).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
N="${N:-100000}"
QUERIES="${QUERIES:-1000}"
DIM="${DIM:-384}"
SEED="${SEED:-20261202}"
M="${M:-16}"
EFC="${EFC:-200}"
PARTS="${PARTS:-flat,hnsw,startup}"
ROUNDS="${ROUNDS:-3}"
LIBS="${LIBS:-faiss,hnswlib,usearch}"
python=".venv/bin/python"
if [ ! -x "$python" ]; then python3 -m venv .venv; fi
missing="$("$python" scripts/check_requirements.py Benchmarks/vector/requirements-bench.txt)"
if [ -n "$missing" ]; then
    echo "installing the benchmark's peers: $missing"
    "$python" -m pip install --quiet --disable-pip-version-check -r Benchmarks/vector/requirements-bench.txt
fi
swift build -c release --product quarry-vector-benchmark >/dev/null
quarry=".build/release/quarry-vector-benchmark"
peers="Benchmarks/vector/vector_peers.py"
work="${WORK:-$(mktemp -d)}"
if [ -z "${WORK:-}" ]; then trap 'rm -rf "$work"' EXIT; fi

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "peers: $("$python" -c 'import faiss, hnswlib, usearch, numpy; print("faiss", faiss.__version__, "hnswlib 0.8.0 usearch", usearch.__version__, "numpy", numpy.__version__)')"
echo "data: N=$N queries=$QUERIES dim=$DIM seed=$SEED; HNSW M=$M efConstruction=$EFC"
if [ ! -f "$work/meta.txt" ]; then "$python" "$peers" gen "$work" "$N" "$QUERIES" "$DIM" "$SEED"; fi
"$quarry" bandwidth
case ",$PARTS," in *,flat,*)
    "$quarry" flat "$work"
    "$python" "$peers" flat "$work"
esac
case ",$PARTS," in *,hnsw,*)
    log="$work/hnsw-rounds.log"
    "$quarry" hnsw "$work" "$M" "$EFC" | tee "$log"
    "$python" "$peers" hnsw "$work" "$M" "$EFC" "$LIBS" | tee -a "$log"
    for round in $(seq 2 "$ROUNDS"); do
        echo "round $round: $(cut -d' ' -f1-3 /proc/loadavg)"
        "$quarry" search "$work" | tee -a "$log"
        "$python" "$peers" hnsw-search "$work" "$LIBS" | tee -a "$log"
    done
    "$python" "$peers" best "$log"
esac
case ",$PARTS," in *,startup,*)
    "$quarry" startup "$work"
esac
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores: above 1 means other work shared them)"
