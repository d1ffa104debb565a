#!/usr/bin/env bash
# Rebuilds the PDF fixtures from the .fodt sources next to this script.
# Needs LibreOffice (libreoffice-writer-nogui), qpdf, poppler-utils and img2pdf from Debian.
# The PDFs are committed; run this only to change them (LibreOffice stamps the creation date,
# so the bytes change on every run).
set -euo pipefail
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

soffice --headless --convert-to pdf --outdir . handbook.fodt >/dev/null 2>&1

# memo-untitled.pdf: no metadata title, so the title comes from the first line.
sed 's|<dc:title>METADATA_TITLE</dc:title>||' memo.fodt >"$work/memo-untitled.fodt"
# memo-word-title.pdf: a metadata title that is only a file name, as Word's PDF printer writes it.
sed 's|METADATA_TITLE|Microsoft Word - memo-final-v2.docx|' memo.fodt >"$work/memo-word-title.fodt"
soffice --headless --convert-to pdf --outdir . "$work/memo-untitled.fodt" "$work/memo-word-title.fodt" >/dev/null 2>&1

# Encrypted with a user password: cannot be opened without it.
qpdf --encrypt secret-user secret-owner 256 -- handbook.pdf handbook-encrypted.pdf
# Encrypted with an owner password only (restricts printing/copying, opens without a password).
qpdf --encrypt "" secret-owner 256 --print=none --extract=n -- handbook.pdf handbook-owner-password.pdf

# A truncated copy: the first half of the file, as an interrupted download leaves it.
size=$(stat -c %s handbook.pdf)
head -c $((size / 2)) handbook.pdf >handbook-truncated.pdf

# A scanned document: page 1 rendered to a grey image, wrapped in a PDF without any text.
pdftoppm -f 1 -l 1 -r 40 -gray -png handbook.pdf "$work/scan"
img2pdf --output scanned.pdf "$work"/scan*.png

# Two pages with text, then the scanned page: extracted, with a warning about page 3.
qpdf --empty --pages handbook.pdf 1-2 scanned.pdf -- partly-scanned.pdf
