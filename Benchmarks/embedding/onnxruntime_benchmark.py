"""The onnxruntime side of Benchmarks/embedding/embedding_benchmark.sh (fp32, CPU, same weights).

    python onnxruntime_benchmark.py export MODEL.onnx
    python onnxruntime_benchmark.py throughput MODEL.onnx PASSAGES_FILE THREADS BATCH ROUNDS
    python onnxruntime_benchmark.py latency MODEL.onnx QUESTIONS_FILE ROUNDS
    python onnxruntime_benchmark.py inputs PASSAGES_FILE QUESTIONS_FILE   # writes the texts

Tokenization (Hugging Face tokenizers, Rust) is timed with the model, as Quarry's is.
"""
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import minilm_onnx  # noqa: E402


def report(**fields):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("ONNXRUNTIME_BENCHMARK " + " ".join(f"{k}={v}" for k, v in fields.items()) + f" peak_mb={peak:.0f}")


def session(path, threads):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def embed_texts(sess, tok, texts):
    return minilm_onnx.embed(sess, [e.ids for e in tok.encode_batch(texts)])


def inputs(passages_path, questions_path):
    """256 passages of exactly 128 tokens and 100 questions of exactly 12 (random windows of the
    sample handbook's text, from a fixed seed)."""
    tok = minilm_onnx.tokenizer(512)
    rng = random.Random(4)
    # Real prose: the sample handbook's words, in order; passages are windows of it.
    handbook = Path(__file__).resolve().parents[2] / "connectors/samples/handbook"
    words = " ".join(p.read_text() for p in sorted(handbook.rglob("*.md"))).split()
    passages = []
    while len(passages) < 256:
        first = rng.randrange(len(words) - 200)
        text = " ".join(words[first : first + 200])
        ids = tok.encode(text).ids
        if len(ids) >= 128:
            # Cut the text where it reaches 126 wordpieces, so it is 128 tokens with [CLS] and [SEP].
            offsets = tok.encode(text).offsets
            end = offsets[126][1]
            text = text[:end]
            if len(tok.encode(text).ids) == 128:
                passages.append(text)
    questions = []
    while len(questions) < 100:
        first = rng.randrange(len(words) - 20)
        text = " ".join(words[first : first + rng.randint(4, 10)]) + "?"
        if len(tok.encode(text).ids) == 12:
            questions.append(text)
    Path(passages_path).write_text("\n".join(passages) + "\n")
    Path(questions_path).write_text("\n".join(questions) + "\n")


def main():
    mode = sys.argv[1]
    if mode == "inputs":
        inputs(sys.argv[2], sys.argv[3])
    elif mode == "export":
        Path(sys.argv[2]).write_bytes(minilm_onnx.build_model().SerializeToString())
    elif mode == "throughput":
        path, texts_path, threads, batch, rounds = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        texts = Path(texts_path).read_text().splitlines()
        sess, tok = session(path, threads), minilm_onnx.tokenizer(256)
        embed_texts(sess, tok, texts[:batch])
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            for i in range(0, len(texts), batch):
                embed_texts(sess, tok, texts[i : i + batch])
            best = min(best, time.perf_counter() - start)
        report(mode="throughput", threads=threads, batch=batch, passages=len(texts),
               passages_per_second=f"{len(texts) / best:.1f}")
    elif mode == "latency":
        path, texts_path, rounds = sys.argv[2], sys.argv[3], int(sys.argv[4])
        texts = Path(texts_path).read_text().splitlines()
        sess, tok = session(path, 1), minilm_onnx.tokenizer(256)
        for text in texts[:20]:
            embed_texts(sess, tok, [text])
        samples = []
        for i in range(rounds):
            start = time.perf_counter()
            embed_texts(sess, tok, [texts[i % len(texts)]])
            samples.append(time.perf_counter() - start)
        samples.sort()
        report(mode="latency", threads=1, queries=rounds, p50_ms=f"{samples[len(samples) // 2] * 1000:.3f}",
               p99_ms=f"{samples[min(len(samples) - 1, len(samples) * 99 // 100)] * 1000:.3f}")


if __name__ == "__main__":
    main()
