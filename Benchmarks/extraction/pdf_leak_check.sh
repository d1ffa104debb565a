#!/usr/bin/env bash
# Leak check of the PDF extractor under valgrind: builds a small binary from QuarryCore and
# QuarryExtract with swiftc (no SwiftPM, no other dependency), which extracts good, encrypted,
# truncated, scanned and garbage PDFs ROUNDS times each, and runs it with
# `valgrind --leak-check=full`. Prints valgrind's leak summary; exits non-zero if valgrind
# reports any "definitely lost" or "indirectly lost" bytes.
#
#   Benchmarks/extraction/pdf_leak_check.sh        # ROUNDS=20 by default
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${ROUNDS:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v valgrind >/dev/null || { echo "pdf_leak_check: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

features=(-enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
    -enable-upcoming-feature InternalImportsByDefault)
poppler_flags=()
for flag in $(pkg-config --cflags poppler-glib); do poppler_flags+=(-Xcc "$flag"); done

cd "$work"
swiftc -swift-version 6 -g -Onone "${features[@]}" -parse-as-library -module-name QuarryCore \
    -emit-module -emit-library -static $(find "$root/Sources/QuarryCore" -name '*.swift')
swiftc -swift-version 6 -g -Onone "${features[@]}" -parse-as-library -module-name QuarryExtract -I . \
    -I "$root/Sources/CPopplerGLib" "${poppler_flags[@]}" \
    -emit-module -emit-library -static $(find "$root/Sources/QuarryExtract" -name '*.swift')
cat >main.swift <<'SWIFT'
import Foundation
import QuarryExtract

/// Everything lives inside this function, so that nothing the program allocated is still
/// referenced from a global when it exits: whatever valgrind finds lost, the extractor lost.
func run(fixtures: String, rounds: Int) throws -> [String: Int] {
    let names = ["handbook.pdf", "handbook-encrypted.pdf", "handbook-truncated.pdf", "scanned.pdf", "memo-untitled.pdf"]
    var inputs = try names.map { try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/\($0)")) }
    inputs.append(Data("%PDF-1.7\n".utf8) + Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
    inputs.append(Data())
    let extractor = PDFExtractor()
    var outcomes: [String: Int] = [:]
    for _ in 0..<rounds {
        for input in inputs {
            do {
                let document = try extractor.extract(input)
                outcomes["\(document.blocks.count) blocks", default: 0] += 1
            } catch {
                outcomes["\(error)", default: 0] += 1
            }
        }
        _ = try? extractor.extract(fileAt: "\(fixtures)/handbook.pdf")
    }
    return outcomes
}

@main
struct LeakCheck {
    static func main() throws {
        let outcomes = try run(fixtures: CommandLine.arguments[1], rounds: Int(CommandLine.arguments[2]) ?? 20)
        for (outcome, count) in outcomes.sorted(by: { $0.key < $1.key }) { print("\(count)× \(outcome)") }
    }
}
SWIFT
swiftc -swift-version 6 -g -Onone -parse-as-library -I . -I "$root/Sources/CPopplerGLib" "${poppler_flags[@]}" main.swift \
    -L . -lQuarryExtract -lQuarryCore $(pkg-config --libs poppler-glib) -o pdf-leak-check

valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
    --log-file=valgrind.log ./pdf-leak-check "$root/Tests/QuarryExtractTests/Fixtures/pdf" "$ROUNDS" \
    && status=0 || status=$?
grep -E "ERROR SUMMARY|(definitely|indirectly|possibly) lost:|still reachable:|in use at exit" valgrind.log \
    | sed 's/^==[0-9]*== //'
if [ "$status" -ne 0 ]; then
    echo "pdf_leak_check: valgrind reported errors or leaks (exit $status); first reports:" >&2
    grep -A12 -E "definitely lost in|indirectly lost in|Invalid (read|write)" valgrind.log | head -60 >&2
    exit 1
fi
