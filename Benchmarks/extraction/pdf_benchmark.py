"""Times pypdf's text extraction over PDFs: best of N rounds, every page of every file.

Usage: pdf_benchmark.py ROUNDS FILE... ; prints `pypdf seconds=S pages=P`.
"""
import sys
import time

import pypdf


def extract_all(paths):
    pages = 0
    for path in paths:
        reader = pypdf.PdfReader(path)
        for page in reader.pages:
            page.extract_text()
            pages += 1
    return pages


def main():
    rounds = int(sys.argv[1])
    paths = sys.argv[2:]
    best = float("inf")
    pages = 0
    for _ in range(rounds):
        start = time.perf_counter()
        pages = extract_all(paths)
        best = min(best, time.perf_counter() - start)
    print(f"pypdf seconds={best:.3f} pages={pages}")


if __name__ == "__main__":
    main()
