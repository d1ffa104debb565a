#!/usr/bin/env python3
"""The peers' side of Benchmarks/vector: seeded data, exact ground truth, faiss-cpu, hnswlib, usearch.

  vector_peers.py gen DIR N QUERIES DIM SEED   # base.f32, queries.f32, sel.f32, gt_*.i32, meta.txt
  vector_peers.py flat DIR                      # exact scans: numpy and faiss IndexFlatIP, faiss SQ8
  vector_peers.py hnsw DIR M EFC [LIBS]         # faiss HNSWFlat, hnswlib, usearch: build, save, ef sweep, filters
  vector_peers.py hnsw-search DIR [LIBS [unfiltered]]  # the same sweeps on the indexes `hnsw` saved in DIR
  vector_peers.py best LOG                      # best queries/s per library, ef and filter over the rounds
  vector_peers.py queries DIR OUT COUNT SEED    # COUNT more held-out queries for DIR's base (OUT links
                                                # DIR's vectors, selection and saved indexes)

Every measurement runs on one thread (OMP/BLAS/library threads set to 1). Output lines are
`name key=value ...`, read by vector_benchmark.sh.
"""
import os
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

K = 10
FILTERS = [("p500", 0.5), ("p100", 0.1), ("p010", 0.01), ("p001", 0.001)]
EFS = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024]


def load(d):
    meta = dict(line.split("=") for line in open(os.path.join(d, "meta.txt")).read().split())
    n, q, dim = int(meta["n"]), int(meta["queries"]), int(meta["dim"])
    base = np.fromfile(os.path.join(d, "base.f32"), dtype=np.float32).reshape(n, dim)
    queries = np.fromfile(os.path.join(d, "queries.f32"), dtype=np.float32).reshape(q, dim)
    sel = np.fromfile(os.path.join(d, "sel.f32"), dtype=np.float32)
    gt = {name: np.fromfile(os.path.join(d, f"gt_{name}.i32"), dtype=np.int32).reshape(q, K)
          for name in ["all"] + [f[0] for f in FILTERS]}
    return base, queries, sel, gt


def recall(found, gt):
    hits = 0
    for row, truth in zip(found, gt):
        hits += len(set(int(x) for x in row if x >= 0) & set(int(x) for x in truth))
    return hits / gt.size


def clustered(rng, centres, count, noise):
    dim = centres.shape[1]
    points = centres[rng.integers(0, len(centres), count)]
    points = points + rng.standard_normal((count, dim), dtype=np.float32) * (noise / np.sqrt(dim))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points.astype(np.float32)


def gen(d, n, q, dim, seed):
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(seed)
    clusters = max(100, n // 500)
    centres = rng.standard_normal((clusters, dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    noise = 1.0
    with open(os.path.join(d, "base.f32"), "wb") as out:
        for start in range(0, n, 100_000):
            clustered(rng, centres, min(100_000, n - start), noise).tofile(out)
    queries = clustered(rng, centres, q, noise)  # held out: drawn after the base, never inserted
    queries.tofile(os.path.join(d, "queries.f32"))
    sel = rng.random(n, dtype=np.float32)
    sel.tofile(os.path.join(d, "sel.f32"))
    with open(os.path.join(d, "meta.txt"), "w") as f:
        f.write(f"n={n} queries={q} dim={dim} seed={seed} clusters={clusters} noise={noise}\n")
    base = np.fromfile(os.path.join(d, "base.f32"), dtype=np.float32).reshape(n, dim)
    ground_truth(d, base, queries, sel)
    print(f"gen n={n} queries={q} dim={dim} clusters={clusters}")


def ground_truth(d, base, queries, sel):
    """Exact top K per query for all and for every filter, written as gt_*.i32 in `d`."""
    q, n = len(queries), len(base)
    masks = {"all": None, **{name: sel < p for name, p in FILTERS}}
    best = {name: (np.full((q, K), -np.inf, np.float32), np.full((q, K), -1, np.int64)) for name in masks}
    for start in range(0, n, 50_000):
        block = base[start:start + 50_000]
        scores = queries @ block.T
        for name, mask in masks.items():
            s = scores if mask is None else np.where(mask[start:start + len(block)][None, :], scores, -np.inf)
            top = np.argpartition(-s, K, axis=1)[:, :K] if s.shape[1] > K else np.tile(np.arange(s.shape[1]), (q, 1))
            cand_s = np.concatenate([best[name][0], np.take_along_axis(s, top, 1)], axis=1)
            cand_i = np.concatenate([best[name][1], top + start], axis=1)
            order = np.argsort(-cand_s, axis=1, kind="stable")[:, :K]
            best[name] = (np.take_along_axis(cand_s, order, 1), np.take_along_axis(cand_i, order, 1))
    for name, (_, ids) in best.items():
        ids.astype(np.int32).tofile(os.path.join(d, f"gt_{name}.i32"))


def more_queries(d, out, count, seed):
    """Held-out queries drawn like `gen`'s (the same centres, replayed from its seed) with another
    seed, and their ground truth; the base, selection and saved indexes are linked, not copied."""
    meta = dict(line.split("=") for line in open(os.path.join(d, "meta.txt")).read().split())
    n, dim, clusters = int(meta["n"]), int(meta["dim"]), int(meta["clusters"])
    rng = np.random.default_rng(int(meta["seed"]))
    centres = rng.standard_normal((clusters, dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    os.makedirs(out, exist_ok=True)
    for name in ("base.f32", "sel.f32", "quarry-hnsw", "faiss_hnsw.index", "hnswlib.bin", "usearch.usearch"):
        target = os.path.join(out, name)
        if os.path.exists(os.path.join(d, name)) and not os.path.lexists(target):
            os.symlink(os.path.abspath(os.path.join(d, name)), target)
    queries = clustered(np.random.default_rng(seed), centres, count, float(meta["noise"]))
    queries.tofile(os.path.join(out, "queries.f32"))
    base = np.fromfile(os.path.join(d, "base.f32"), dtype=np.float32).reshape(n, dim)
    sel = np.fromfile(os.path.join(d, "sel.f32"), dtype=np.float32)
    ground_truth(out, base, queries, sel)
    with open(os.path.join(out, "meta.txt"), "w") as f:
        f.write(f"n={n} queries={count} dim={dim} seed={meta['seed']} clusters={clusters} noise={meta['noise']}"
                f" query_seed={seed}\n")
    print(f"queries n={n} queries={count} query_seed={seed}")


CPU = {"last": 0.0}


def resident_mb():
    """This process's resident memory (VmRSS), in MB."""
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed_per_query(fn, queries):
    fn(queries[:1])
    start, cpu = time.perf_counter(), time.thread_time()
    results = [fn(queries[i:i + 1]) for i in range(len(queries))]
    CPU["last"] = (time.thread_time() - cpu) / len(queries)
    return (time.perf_counter() - start) / len(queries), np.vstack(results)


def cpu_ms():
    return f"cpu_ms={CPU['last'] * 1e3:.3f}"


def flat(d):
    import faiss
    faiss.omp_set_num_threads(1)
    base, queries, sel, gt = load(d)
    nq = min(len(queries), 200 if len(base) > 200_000 else 1000)
    qs = queries[:nq]
    # numpy: one matrix-vector product and a partial sort per query.
    def numpy_one(q):
        s = base @ q[0]
        top = np.argpartition(-s, K)[:K]
        return top[np.argsort(-s[top])][None, :]
    t, ids = timed_per_query(numpy_one, qs)
    print(f"numpy_flat ms={t * 1e3:.3f} {cpu_ms()} recall={recall(ids, gt['all'][:nq]):.4f}")
    index = faiss.IndexFlatIP(base.shape[1])
    index.add(base)
    t, ids = timed_per_query(lambda q: index.search(q, K)[1], qs)
    print(f"faiss_flat ms={t * 1e3:.3f} {cpu_ms()} recall={recall(ids, gt['all'][:nq]):.4f}")
    for threads in (1, 2):
        faiss.omp_set_num_threads(threads)
        start = time.perf_counter()
        found = np.vstack([index.search(qs[i:i + 64], K)[1] for i in range(0, nq, 64)])
        t = (time.perf_counter() - start) / nq
        print(f"faiss_flat_batch64_{threads}t ms={t * 1e3:.3f} recall={recall(found, gt['all'][:nq]):.4f}")
    faiss.omp_set_num_threads(1)
    sq = faiss.IndexScalarQuantizer(base.shape[1], faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sq.train(base)
    sq.add(base)
    t, ids = timed_per_query(lambda q: sq.search(q, K)[1], qs)
    print(f"faiss_sq8 ms={t * 1e3:.3f} {cpu_ms()} recall={recall(ids, gt['all'][:nq]):.4f}")
    # faiss's exact filtered path: the flat index with an IDSelectorBitmap.
    for name, p in FILTERS:
        bitmap = np.packbits(sel < p, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(base), faiss.swig_ptr(bitmap))
        params = faiss.SearchParameters(sel=selector)
        t, ids = timed_per_query(lambda q: index.search(q, K, params=params)[1], qs[:200])
        print(f"faiss_flat_filter_{name} ms={t * 1e3:.3f} {cpu_ms()} recall={recall(ids, gt[name][:200]):.4f}")


def sweep(name, search, qs, truth, set_ef):
    """Recall and queries/s per ef (one batched call with one thread per ef)."""
    for ef in EFS:
        set_ef(ef)
        start, cpu = time.perf_counter(), time.process_time()
        ids = search(qs)
        t, c = time.perf_counter() - start, time.process_time() - cpu
        r = recall(ids, truth)
        print(f"{name} ef={ef} recall={r:.4f} qps={len(qs) / t:.0f} cpu_qps={len(qs) / c:.0f}")
        if r >= 0.999:
            break


DIRECTORY = {"path": "."}


def hnsw(d, m, efc, libraries=("faiss", "hnswlib", "usearch")):
    """Build, save and sweep each library; filtered runs use 200 queries (50 where hnswlib's Python
    filter callback makes a query take tens of milliseconds)."""
    DIRECTORY["path"] = d
    base, queries, sel, gt = load(d)
    if "faiss" in libraries:
        hnsw_faiss(base, queries, sel, gt, m, efc)
    if "hnswlib" in libraries:
        hnsw_hnswlib(base, queries, sel, gt, m, efc)
    if "usearch" in libraries:
        hnsw_usearch(base, queries, sel, gt, m, efc)


def hnsw_faiss(base, queries, sel, gt, m, efc):
    import faiss
    faiss.omp_set_num_threads(1)
    n, dim = base.shape
    qs, truth, fq = queries[:1000], gt["all"][:1000], 200
    # faiss IndexHNSWFlat (inner product).
    index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = efc
    before = resident_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    index.add(base)
    print(f"faiss_hnsw_build seconds={time.perf_counter() - wall:.2f} cpu={time.process_time() - cpu:.2f}"
          f" rss_mb_added={resident_mb() - before:.0f}")
    faiss.write_index(index, os.path.join(DIRECTORY["path"], "faiss_hnsw.index"))
    search_faiss(index, queries, sel, gt)


def search_faiss(index, queries, sel, gt, filtered=True):
    import faiss
    faiss.omp_set_num_threads(1)
    n = index.ntotal
    qs, truth, fq = queries[:1000], gt["all"][:1000], 200
    def set_faiss_ef(ef):
        index.hnsw.efSearch = ef
    sweep("faiss_hnsw", lambda q: index.search(q, K)[1], qs, truth, set_faiss_ef)
    for name, p in FILTERS if filtered else []:
        bitmap = np.packbits(sel < p, bitorder="little")
        selector = faiss.IDSelectorBitmap(n, faiss.swig_ptr(bitmap))
        for ef in (16, 24, 32, 48, 64, 96, 128, 256, 1024):
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef)
            start, cpu = time.perf_counter(), time.process_time()
            ids = index.search(qs[:fq], K, params=params)[1]
            t, c = time.perf_counter() - start, time.process_time() - cpu
            print(f"faiss_hnsw_filter_{name} ef={ef} recall={recall(ids, gt[name][:fq]):.4f} qps={fq / t:.0f}"
                  f" cpu_qps={fq / c:.0f}")


def hnsw_hnswlib(base, queries, sel, gt, m, efc):
    import hnswlib
    n, dim = base.shape
    qs, truth, fq = queries[:1000], gt["all"][:1000], 200
    # hnswlib.
    before = resident_mb()
    h = hnswlib.Index(space="ip", dim=dim)
    h.init_index(max_elements=n, ef_construction=efc, M=m, random_seed=100)
    h.set_num_threads(1)
    cpu, wall = time.process_time(), time.perf_counter()
    h.add_items(base, np.arange(n), num_threads=1)
    print(f"hnswlib_build seconds={time.perf_counter() - wall:.2f} cpu={time.process_time() - cpu:.2f}"
          f" rss_mb_added={resident_mb() - before:.0f}")
    h.save_index(os.path.join(DIRECTORY["path"], "hnswlib.bin"))
    search_hnswlib(h, queries, sel, gt)


def search_hnswlib(h, queries, sel, gt, filtered=True):
    qs, truth, fq = queries[:1000], gt["all"][:1000], 200
    h.set_num_threads(1)
    sweep("hnswlib", lambda q: h.knn_query(q, k=K, num_threads=1)[0], qs, truth, h.set_ef)
    for name, p in FILTERS if filtered else []:
        allowed = sel < p
        for ef in (16, 32, 64, 256) if p >= 0.1 else (64, 256):
            h.set_ef(ef)
            nq = fq if p >= 0.01 else 50
            start, cpu = time.perf_counter(), time.process_time()
            ids = h.knn_query(qs[:nq], k=K, num_threads=1, filter=lambda i: bool(allowed[i]))[0]
            t, c = time.perf_counter() - start, time.process_time() - cpu
            print(f"hnswlib_filter_{name} ef={ef} recall={recall(ids, gt[name][:nq]):.4f} qps={nq / t:.1f}"
                  f" cpu_qps={nq / c:.1f}")


def hnsw_usearch(base, queries, sel, gt, m, efc):
    from usearch.index import Index
    n, dim = base.shape
    qs, truth, fq = queries[:1000], gt["all"][:1000], 200
    # usearch (f32, inner product). Its Python binding has no predicate search, so its filtered
    # runs ask for more results (k / allowed fraction, times 2) and keep the allowed ones.
    before = resident_mb()
    u = Index(ndim=dim, metric="ip", dtype="f32", connectivity=m, expansion_add=efc)
    cpu, wall = time.process_time(), time.perf_counter()
    u.add(np.arange(n), base, threads=1)
    print(f"usearch_build seconds={time.perf_counter() - wall:.2f} cpu={time.process_time() - cpu:.2f}"
          f" rss_mb_added={resident_mb() - before:.0f}")
    u.save(os.path.join(DIRECTORY["path"], "usearch.usearch"))
    search_usearch(u, queries, sel, gt)


def search_usearch(u, queries, sel, gt, filtered=True):
    n = len(sel)
    qs, truth, fq = queries[:1000], gt["all"][:1000], 200
    def set_usearch_ef(ef):
        u.expansion_search = ef
    sweep("usearch", lambda q: u.search(q, K, threads=1).keys, qs, truth, set_usearch_ef)
    for name, p in FILTERS if filtered else []:
        allowed = sel < p
        count = min(n, int(2 * K / p))
        u.expansion_search = max(64, count)
        nq = fq if p >= 0.01 else 50
        start, cpu = time.perf_counter(), time.process_time()
        keys = u.search(qs[:nq], count, threads=1).keys
        found = np.array([([int(k) for k in row if k < n and allowed[k]] + [-1] * K)[:K] for row in keys])
        t, c = time.perf_counter() - start, time.process_time() - cpu
        print(f"usearch_postfilter_{name} count={count} recall={recall(found, gt[name][:nq]):.4f} qps={nq / t:.1f}"
              f" cpu_qps={nq / c:.1f}")


def hnsw_search(d, libraries=("faiss", "hnswlib", "usearch"), filtered=True):
    """The sweeps of `hnsw` again, on the indexes it saved (a further round of measurements);
    `filtered` False skips the filtered searches."""
    base, queries, sel, gt = load(d)
    n, dim = base.shape
    if "faiss" in libraries:
        import faiss
        search_faiss(faiss.read_index(os.path.join(d, "faiss_hnsw.index")), queries, sel, gt, filtered)
    if "hnswlib" in libraries:
        import hnswlib
        h = hnswlib.Index(space="ip", dim=dim)
        h.load_index(os.path.join(d, "hnswlib.bin"), max_elements=n)
        search_hnswlib(h, queries, sel, gt, filtered)
    if "usearch" in libraries:
        from usearch.index import Index
        search_usearch(Index.restore(os.path.join(d, "usearch.usearch")), queries, sel, gt, filtered)


def best(log):
    """Per measurement line (library, filter, ef or plan), the best cpu_qps over the rounds and its
    recall: on a shared host, the best round is the one least disturbed by other machines."""
    rows = {}
    for line in open(log):
        fields = line.split()
        if not fields or "cpu_qps=" not in line or "=" in fields[0]:
            continue
        values = dict(f.split("=", 1) for f in fields[1:] if "=" in f)
        key = (fields[0], values.get("ef", values.get("count", "")))
        qps = float(values["cpu_qps"])
        if key not in rows or qps > rows[key][0]:
            rows[key] = (qps, values.get("recall", ""), values.get("plan", ""))
    for (name, ef), (qps, r, plan) in rows.items():
        print(f"best {name} ef={ef} recall={r} cpu_qps={qps:.0f}" + (f" plan={plan}" if plan else ""))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif command == "flat":
        flat(sys.argv[2])
    elif command == "hnsw":
        libraries = sys.argv[5].split(",") if len(sys.argv) > 5 else ("faiss", "hnswlib", "usearch")
        hnsw(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), libraries)
    elif command == "hnsw-search":
        libraries = sys.argv[3].split(",") if len(sys.argv) > 3 else ("faiss", "hnswlib", "usearch")
        hnsw_search(sys.argv[2], libraries, filtered=not (len(sys.argv) > 4 and sys.argv[4] == "unfiltered"))
    elif command == "best":
        best(sys.argv[2])
    elif command == "queries":
        more_queries(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(f"unknown command {command}")
