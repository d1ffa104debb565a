public import Foundation
public import QuarryCore

/// Reads access policy files: `{"readers": ["group:hr", "user:bob"]}`, or `["everyone"]`.
///
/// Used for the filesystem connector's `.quarry-acl.json` and `FILE.acl.json` files and, later,
/// for sidecar objects in buckets.
public enum AccessPolicyFile {
    /// The name of a folder's policy file, which applies to everything below the folder.
    public static let folderFileName = ".quarry-acl.json"
    /// The suffix of a sidecar policy file, which applies to the file it is named after.
    public static let sidecarSuffix = ".acl.json"

    /// Parses the contents of a policy file.
    ///
    /// - Throws: a message saying what is wrong: not JSON, no `readers` list, or an invalid reader.
    public static func parse(_ data: Data) throws(AccessPolicyFileError) -> AccessPolicy {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw AccessPolicyFileError(message: "not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else {
            throw AccessPolicyFileError(message: "expected an object like {\"readers\": [\"group:hr\"]}")
        }
        let unknown = dictionary.keys.filter { $0 != "readers" }.sorted()
        guard unknown.isEmpty else {
            throw AccessPolicyFileError(message: "unknown key \"\(unknown[0])\"; only \"readers\" is allowed")
        }
        guard let readers = dictionary["readers"] as? [Any] else {
            throw AccessPolicyFileError(message: "\"readers\" must be a list of strings")
        }
        var texts: [String] = []
        for reader in readers {
            guard let text = reader as? String else {
                throw AccessPolicyFileError(message: "\"readers\" must be a list of strings")
            }
            texts.append(text)
        }
        do {
            return try AccessPolicy(parsing: texts)
        } catch {
            throw AccessPolicyFileError(message: error.description)
        }
    }
}

/// An access policy file that could not be understood.
public struct AccessPolicyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with the file.
    public let message: String
    public var description: String { message }
}
