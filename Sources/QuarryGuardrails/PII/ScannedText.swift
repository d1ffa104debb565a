import Foundation

/// A text prepared for regular-expression scans: its UTF-16 view for `NSRegularExpression` and the
/// map from UTF-16 offsets to Unicode-scalar offsets, the offsets findings are reported in.
struct ScannedText {
    let string: String
    let nsString: NSString
    /// `scalarOffset[u]` is the scalar offset of UTF-16 offset `u` (for every `u` that starts a scalar, and the end).
    private let scalarOffsets: [Int]
    /// The scalars, for slicing by scalar offsets.
    let scalars: [Unicode.Scalar]

    init(_ string: String) {
        self.string = string
        self.nsString = string as NSString
        var offsets: [Int] = []
        offsets.reserveCapacity(string.utf16.count + 1)
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(string.unicodeScalars.count)
        for scalar in string.unicodeScalars {
            for _ in 0..<scalar.utf16.count { offsets.append(scalars.count) }
            scalars.append(scalar)
        }
        offsets.append(scalars.count)
        self.scalarOffsets = offsets
        self.scalars = scalars
    }

    var fullRange: NSRange { NSRange(location: 0, length: nsString.length) }

    /// The scalar range of a UTF-16 range.
    func scalarRange(_ range: NSRange) -> Range<Int> {
        scalarOffsets[range.location]..<scalarOffsets[range.location + range.length]
    }

    /// The text of a scalar range.
    func text(_ range: Range<Int>) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[range])
        return String(result)
    }

    /// All matches of `regex`, as UTF-16 ranges.
    func matches(_ regex: NSRegularExpression) -> [NSTextCheckingResult] {
        regex.matches(in: string, range: fullRange)
    }
}

/// An `NSRegularExpression` shared between tasks.
///
/// `@unchecked Sendable`: a compiled `NSRegularExpression` is immutable, and matching with it from
/// several threads at once is documented as safe; nothing mutates it after `init`.
struct SharedRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String, caseInsensitive: Bool = false) {
        // Built-in patterns are constants checked by the tests; a typo is a programming error.
        regex = try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    init(compiled: NSRegularExpression) {
        regex = compiled
    }
}
