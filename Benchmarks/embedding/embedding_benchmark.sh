#!/usr/bin/env bash
# Quarry's in-process MiniLM (Swift over OpenBLAS) beside onnxruntime running the same model
# (fp32, same weights, same texts) on the same machine, in one run:
#   - passages/second for 128-token passages in batches of 32, with 1 and 2 threads;
#   - single-query latency (p50, p99) for 12-token questions, one thread;
#   - peak resident memory of each measuring process;
#   - the sgemm floor: FLOPs per passage ÷ the sgemm GFLOP/s measured here (the encoder's
#     feed-forward shape, 4096×1536×384), i.e. the passages/second that pure matrix products
#     at that speed would allow.
#
#   Benchmarks/embedding/embedding_benchmark.sh            # as the environment is (OPENBLAS_CORETYPE kept)
#   ROUNDS=5 QUERIES=500 Benchmarks/embedding/embedding_benchmark.sh
#
# Each figure comes from its own process (best of ROUNDS passes for throughput). Quarry's side is a
# release build of the quarry-embedding-benchmark executable (only QuarryEmbed and its dependencies).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
ROUNDS="${ROUNDS:-3}"
QUERIES="${QUERIES:-300}"
scripts/setup.sh
swift build -c release --product quarry-embedding-benchmark >/dev/null
quarry=".build/release/quarry-embedding-benchmark"
python=".venv/bin/python"
peer="Benchmarks/embedding/onnxruntime_benchmark.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" "$peer" inputs "$work/passages.txt" "$work/questions.txt"
"$python" "$peer" export "$work/minilm.onnx" 2>/dev/null

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}; onnxruntime $("$python" -c 'import onnxruntime; print(onnxruntime.__version__)')"
echo

# FLOPs per 128-token passage: per layer, 2·T·(H·3H + H·H + 2·H·I) for the dense layers and
# 2·2·T²·H for attention (Q·Kᵀ and P·V over all heads); 6 layers, H=384, I=1536, T=128.
flops=$(awk 'BEGIN { T=128; H=384; I=1536; print 6 * (2*T*(H*3*H + H*H + 2*H*I) + 4*T*T*H) }')

printf '%-34s %12s %12s %8s %9s %9s\n' "measurement" "quarry" "onnxruntime" "ratio" "q peak MB" "o peak MB"
for threads in 1 2; do
    q=$("$quarry" throughput "$work/passages.txt" "$threads" 32 "$ROUNDS")
    o=$("$python" "$peer" throughput "$work/minilm.onnx" "$work/passages.txt" "$threads" 32 "$ROUNDS" 2>/dev/null)
    qv=$(echo "$q" | field passages_per_second)
    ov=$(echo "$o" | field passages_per_second)
    printf '%-34s %12s %12s %8s %9s %9s\n' "passages/s, 128 tokens, batch 32, ${threads}T" "$qv" "$ov" \
        "$(awk -v a="$qv" -v b="$ov" 'BEGIN { printf "%.2f", a / b }')" \
        "$(echo "$q" | field peak_mb)" "$(echo "$o" | field peak_mb)"
    s=$("$quarry" sgemm "$threads")
    gflops=$(echo "$s" | field gflops)
    floor=$(awk -v g="$gflops" -v f="$flops" 'BEGIN { printf "%.1f", g * 1e9 / f }')
    echo "  sgemm ${threads}T: ${gflops} GFLOP/s (kernel $(echo "$s" | field core)); floor ${floor} passages/s;" \
        "Quarry at $(awk -v a="$qv" -v b="$floor" 'BEGIN { printf "%.2f", b / a }')x the floor's time"
done
q=$("$quarry" latency "$work/questions.txt" "$QUERIES")
o=$("$python" "$peer" latency "$work/minilm.onnx" "$work/questions.txt" "$QUERIES" 2>/dev/null)
for p in p50 p99; do
    qv=$(echo "$q" | field "${p}_ms")
    ov=$(echo "$o" | field "${p}_ms")
    printf '%-34s %12s %12s %8s %9s %9s\n' "query latency ${p} ms, 12 tokens, 1T" "$qv" "$ov" \
        "$(awk -v a="$qv" -v b="$ov" 'BEGIN { printf "%.2f", b / a }')" \
        "$(echo "$q" | field peak_mb)" "$(echo "$o" | field peak_mb)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores: above 1 means other work shared them)"
echo
echo "ratio: Quarry's speed ÷ onnxruntime's (above 1 = Quarry faster). FLOPs per passage: $flops"
