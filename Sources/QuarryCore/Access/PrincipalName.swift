/// Rules for the names of users and groups.
///
/// A name is 1 to 64 characters of lowercase ASCII letters, digits and `.`, `_`, `-`, `@`, `+`,
/// starting with a letter or digit, so that it can be an e-mail address or a directory login.
/// Input is trimmed and lowercased before it is checked.
public enum PrincipalName {
    /// The longest name accepted.
    public static let maximumLength = 64

    /// Returns the normalised form of `name`, or throws why it is not a valid name.
    public static func validated(_ name: String) throws(PrincipalNameError) -> String {
        let normalised = name.trimmingASCIIWhitespace().lowercased()
        guard !normalised.isEmpty else {
            throw PrincipalNameError(reason: "the name is empty")
        }
        guard normalised.unicodeScalars.count <= maximumLength else {
            throw PrincipalNameError(reason: "the name is longer than \(maximumLength) characters")
        }
        for (offset, scalar) in normalised.unicodeScalars.enumerated() {
            let isAlphanumeric = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if offset == 0 && !isAlphanumeric {
                throw PrincipalNameError(reason: "a name must start with a letter or digit")
            }
            if !isAlphanumeric && !".-_@+".unicodeScalars.contains(scalar) {
                throw PrincipalNameError(
                    reason:
                        "the character \"\(scalar.escaped(asASCII: true))\" is not allowed; use letters, digits and . _ - @ +"
                )
            }
        }
        return normalised
    }
}

/// Why a user or group name was refused.
public struct PrincipalNameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with the name, in words.
    public let reason: String
    public var description: String { reason }
}
