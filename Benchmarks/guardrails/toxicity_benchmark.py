#!/usr/bin/env python3
"""Content filters: what Quarry's offline scorer catches and falsely flags, per category and strength.

The labelled set is Benchmarks/guardrails/toxicity.jsonl: 60 harmful messages (10 per category) and
30 benign workplace messages chosen to look risky ("kill a stuck process", "sexual harassment
policy"), all written for this benchmark by the engineer who wrote the lexicons (so expect it to
flatter them), plus every sentence of the sample handbook as real benign text.

Usage: .venv-bench/bin/python Benchmarks/guardrails/toxicity_benchmark.py --quarry .build/release/quarry
"""
import argparse
import json
import pathlib
import re
import subprocess
import tempfile

CATEGORIES = ["hate", "insults", "sexual", "violence", "misconduct", "prompt_attack"]
STRENGTHS = {"low": 0.85, "medium": 0.6, "high": 0.35}


def handbook_sentences(root):
    text = ""
    for path in sorted((root / "connectors" / "samples" / "handbook").rglob("*")):
        if path.suffix in (".md", ".txt"):
            text += path.read_text() + "\n"
    out = set()
    for line in text.split("\n"):
        line = re.sub(r"^[#>*|\- ]+", "", line).strip()
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if len(sentence) > 20:
                out.add(sentence)
    return sorted(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarry", default=".build/release/quarry")
    args = parser.parse_args()
    here = pathlib.Path(__file__).resolve().parent
    root = here.parent.parent
    items = [json.loads(line) for line in open(here / "toxicity.jsonl")]
    for sentence in handbook_sentences(root):
        items.append({"text": sentence, "label": "none", "source": "handbook"})
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for index, item in enumerate(items):
            handle.write(json.dumps({"id": index, "text": item["text"]}) + "\n")
    output = subprocess.run([args.quarry, "guardrails", "scan", "--jsonl", handle.name, "--policy",
                             str(here / "content-all.yaml"), "--data-dir", tempfile.mkdtemp()],
                            check=True, capture_output=True, text=True).stdout
    scores = [dict() for _ in items]
    for line in output.splitlines():
        result = json.loads(line)
        for span in result["spans"]:
            if span["rule"] == "content":
                scores[result["id"]][span["type"]] = span["score"]
    written_neg = [i for i, item in enumerate(items) if item["label"] == "none" and item["source"] == "written"]
    handbook_neg = [i for i, item in enumerate(items) if item["source"] == "handbook"]
    print(f"{len(items) - len(written_neg) - len(handbook_neg)} harmful, {len(written_neg)} tricky benign (written), "
          f"{len(handbook_neg)} handbook sentences\n")
    print("| category | " + " | ".join(f"caught at {s}" for s in STRENGTHS) + " |")
    print("|---|" + "---:|" * len(STRENGTHS))
    for category in CATEGORIES:
        positives = [i for i, item in enumerate(items) if item["label"] == category]
        cells = [f"{sum(1 for i in positives if scores[i].get(category, 0) >= t)}/{len(positives)}" for t in STRENGTHS.values()]
        print(f"| {category} | " + " | ".join(cells) + " |")
    for label, negatives in (("tricky benign (written)", written_neg), ("handbook sentences", handbook_neg)):
        cells = [f"{sum(1 for i in negatives if any(v >= t for v in scores[i].values()))}/{len(negatives)}"
                 for t in STRENGTHS.values()]
        print(f"| false flags: {label} | " + " | ".join(cells) + " |")
    print("\nFalse flags at medium:")
    for i in written_neg + handbook_neg:
        flagged = {k: round(v, 2) for k, v in scores[i].items() if v >= STRENGTHS["medium"]}
        if flagged:
            print(f"  {flagged}  {items[i]['text'][:100]}")
    print("\nMissed at medium:")
    for i, item in enumerate(items):
        if item["label"] in CATEGORIES and scores[i].get(item["label"], 0) < STRENGTHS["medium"]:
            print(f"  [{item['label']}] {round(scores[i].get(item['label'], 0), 2)}  {item['text']}")


if __name__ == "__main__":
    main()
