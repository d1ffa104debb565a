public import Foundation

extension S3Credentials {
    /// Where a connector's credentials come from, as configured.
    ///
    /// Resolution order:
    /// 1. ``accessKeyID`` and ``secretAccessKey`` (and ``sessionToken``) from the configuration; each
    ///    may be `env:VAR` to read the environment variable `VAR` instead.
    /// 2. The environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
    /// 3. The shared credentials file (``credentialsFile``, else `AWS_SHARED_CREDENTIALS_FILE`, else
    ///    `~/.aws/credentials`), section ``profile`` (else `AWS_PROFILE`, else `default`).
    public struct Source: Sendable, Hashable, CustomStringConvertible {
        /// An access key id, or `env:VAR`.
        public var accessKeyID: String?
        /// A secret access key, or `env:VAR` (better: keeps the secret out of stored settings).
        public var secretAccessKey: String?
        /// A session token, or `env:VAR`.
        public var sessionToken: String?
        /// The profile in the shared credentials file.
        public var profile: String?
        /// The shared credentials file's path.
        public var credentialsFile: String?

        /// Creates a source; with no arguments, credentials come from the environment or the shared file.
        public init(
            accessKeyID: String? = nil,
            secretAccessKey: String? = nil,
            sessionToken: String? = nil,
            profile: String? = nil,
            credentialsFile: String? = nil
        ) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
            self.profile = profile
            self.credentialsFile = credentialsFile
        }

        public var description: String {
            func shown(_ value: String?) -> String {
                guard let value else { return "nil" }
                return value.hasPrefix("env:") ? value : "<redacted>"
            }
            return "S3Credentials.Source(accessKeyID: \(shown(accessKeyID)), secretAccessKey: "
                + "\(shown(secretAccessKey)), sessionToken: \(shown(sessionToken)), profile: \(profile ?? "nil"))"
        }
    }

    /// Finds credentials as ``Source`` describes.
    ///
    /// - Parameters:
    ///   - environment: the process environment (tests pass their own).
    ///   - readFile: reads a file's bytes, or nil when it cannot.
    /// - Throws: ``S3Error/configuration(_:)`` naming what is missing (a variable's name, never a value).
    public static func resolve(
        _ source: Source,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws(S3Error) -> S3Credentials {
        func value(_ text: String?, _ field: String) throws(S3Error) -> String? {
            guard let text else { return nil }
            guard text.hasPrefix("env:") else { return text }
            let variable = String(text.dropFirst(4))
            guard let found = environment[variable], !found.isEmpty else {
                throw .configuration("\(field) names the environment variable \(variable), which is not set")
            }
            return found
        }
        let configuredKey = try value(source.accessKeyID, "access_key_id")
        let configuredSecret = try value(source.secretAccessKey, "secret_access_key")
        let configuredToken = try value(source.sessionToken, "session_token")
        switch (configuredKey, configuredSecret) {
        case (let key?, let secret?):
            return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: configuredToken)
        case (.some, nil):
            throw .configuration("access_key_id is set but secret_access_key is not")
        case (nil, .some):
            throw .configuration("secret_access_key is set but access_key_id is not")
        case (nil, nil):
            break
        }
        if source.profile == nil, let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        {
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
        }
        let profile = source.profile ?? environment["AWS_PROFILE"] ?? "default"
        let home = environment["HOME"] ?? NSHomeDirectory()
        let path = source.credentialsFile ?? environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials"
        guard let data = readFile(path) else {
            throw .configuration(
                "no credentials: set access_key_id and secret_access_key (or env:VAR), AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or a profile in \(path)"
            )
        }
        let sections = parseINI(String(decoding: data, as: UTF8.self))
        guard let section = sections[profile] else {
            throw .configuration("the profile \"\(profile)\" is not in \(path)")
        }
        guard let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
            throw .configuration(
                "the profile \"\(profile)\" in \(path) lacks aws_access_key_id or aws_secret_access_key"
            )
        }
        return S3Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"])
    }

    /// `[section]` then `key = value` lines; `#` and `;` start comments; keys are lower-cased.
    static func parseINI(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = String(name.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[key] = value
        }
        return sections
    }
}
