public import Foundation
import QuarryCore
import QuarryExtract

extension ConnectorDefinition {
    /// Reads a definition from its configuration (a YAML file, an API body or the stored JSON),
    /// checking every field.
    ///
    /// - Parameter existing: the stored definition being replaced; a secret given as `********`
    ///   (as the API shows it) or left out keeps the existing value.
    /// - Throws: ``ConnectorDefinitionError`` naming the line (for YAML) and the field.
    public init(configuration: ConfigValue, existing: ConnectorDefinition? = nil) throws(ConnectorDefinitionError) {
        var fields = try ConfigFields(configuration)
        let name = try fields.requiredString("name", for: "(a unique name: letters, digits, . _ - @ +)")
        do {
            _ = try PrincipalName.validated(name)
        } catch {
            throw ConnectorDefinitionError(line: configuration.line, field: "name", message: error.reason)
        }
        let typeText = try fields.requiredString("type", for: "(filesystem, s3 or web)")
        guard let kind = Kind(rawValue: typeText.lowercased()) else {
            throw ConnectorDefinitionError(
                line: nil,
                field: "type",
                message: "unknown type \"\(typeText)\"; expected filesystem, s3 or web"
            )
        }
        // Unknown keys first: a misspelt key is a better message than the required one it hides.
        try fields.rejectUnknownKeys(allowed: Self.commonKeys + Self.keys(of: kind))
        let readers = try fields.strings("default_readers") ?? []
        do {
            _ = try AccessPolicy(parsing: readers)
        } catch {
            throw ConnectorDefinitionError(line: nil, field: "default_readers", message: error.description)
        }
        var schedule: SyncSchedule?
        if let text = try fields.string("schedule"), !["manual", "never"].contains(text.lowercased()) {
            schedule = try SyncSchedule(parsing: text)
        }
        let defaults = ChunkingConfiguration()
        let chunking = ChunkingConfiguration(
            targetSize: try fields.integer("chunk_size", in: 100...20_000) ?? defaults.targetSize,
            overlap: try fields.integer("chunk_overlap", in: 0...10_000) ?? defaults.overlap
        )
        do {
            try chunking.validate()
        } catch {
            throw ConnectorDefinitionError(line: nil, field: "chunk_overlap", message: error.message)
        }

        let settings: Settings
        switch kind {
        case .filesystem:
            var filesystem = FileSystemSettings(
                root: try fields.requiredString("root", for: "(the folder to index)")
            )
            guard filesystem.root.hasPrefix("/") else {
                throw ConnectorDefinitionError(line: nil, field: "root", message: "must be an absolute path")
            }
            filesystem.root = URL(fileURLWithPath: filesystem.root).standardizedFileURL.path
            if let bytes = try fields.integer("max_file_bytes", in: 1...(1 << 34)) {
                filesystem.maximumFileBytes = Int64(bytes)
            }
            if let bytes = try fields.integer("max_csv_bytes", in: 1...(1 << 40)) {
                filesystem.maximumCSVBytes = Int64(bytes)
            }
            settings = .filesystem(filesystem)
        case .s3:
            settings = .s3(try Self.s3Settings(&fields, existing: existing))
        case .web:
            settings = .web(try Self.webSettings(&fields))
        }
        self.init(name: name, settings: settings, defaultReaders: readers, schedule: schedule, chunking: chunking)
    }

    /// Keys every connector type takes.
    static let commonKeys = ["name", "type", "default_readers", "schedule", "chunk_size", "chunk_overlap"]

    /// Keys of one connector type.
    static func keys(of kind: Kind) -> [String] {
        switch kind {
        case .filesystem: ["root", "max_file_bytes", "max_csv_bytes"]
        case .s3:
            [
                "endpoint", "region", "bucket", "prefix", "addressing", "access_key_id", "secret_access_key",
                "session_token", "profile", "max_object_bytes", "max_csv_bytes", "metadata_acl", "timeout_seconds",
            ]
        case .web:
            [
                "seeds", "allowed_hosts", "allowed_prefixes", "max_depth", "max_pages", "concurrency", "delay_ms",
                "user_agent", "use_sitemaps", "max_page_bytes",
            ]
        }
    }

    private static func s3Settings(
        _ fields: inout ConfigFields,
        existing: ConnectorDefinition?
    ) throws(ConnectorDefinitionError) -> S3Settings {
        let endpoint = try fields.string("endpoint")?.trimmingCharacters(in: .whitespaces) ?? ""
        if !endpoint.isEmpty {
            guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme), url.host != nil
            else {
                throw ConnectorDefinitionError(line: nil, field: "endpoint", message: "expected an http or https URL")
            }
        }
        var settings = S3Settings(
            endpoint: endpoint,
            region: try fields.string("region")?.trimmingCharacters(in: .whitespaces) ?? "us-east-1",
            bucket: try fields.requiredString("bucket", for: "(the bucket to index)")
        )
        settings.readsObjectMetadata = try fields.bool("metadata_acl") ?? true
        if let seconds = try fields.integer("timeout_seconds", in: 1...3600) {
            settings.requestTimeoutSeconds = seconds
        }
        settings.prefix = try fields.string("prefix") ?? ""
        if let addressing = try fields.string("addressing") {
            guard let value = S3Settings.Addressing(rawValue: addressing.lowercased()) else {
                throw ConnectorDefinitionError(line: nil, field: "addressing", message: "expected path or virtual")
            }
            settings.addressing = value
        }
        var previous: S3Settings?
        if case .s3(let stored) = existing?.settings { previous = stored }
        settings.accessKeyID = try secret("access_key_id", &fields, previous: previous?.accessKeyID)
        settings.secretAccessKey = try secret("secret_access_key", &fields, previous: previous?.secretAccessKey)
        settings.sessionToken = try secret("session_token", &fields, previous: previous?.sessionToken)
        guard (settings.accessKeyID == nil) == (settings.secretAccessKey == nil) else {
            throw ConnectorDefinitionError(
                line: nil,
                field: "secret_access_key",
                message: "give both access_key_id and secret_access_key, or neither (to use the environment)"
            )
        }
        settings.profile = try fields.string("profile")
        if let bytes = try fields.integer("max_object_bytes", in: 1...(1 << 34)) {
            settings.maximumObjectBytes = Int64(bytes)
        }
        if let bytes = try fields.integer("max_csv_bytes", in: 1...(1 << 40)) {
            settings.maximumCSVBytes = Int64(bytes)
        }
        return settings
    }

    private static func secret(
        _ key: String,
        _ fields: inout ConfigFields,
        previous: Secret?
    ) throws(ConnectorDefinitionError) -> Secret? {
        guard let text = try fields.string(key), !text.isEmpty else { return previous }
        if text == Secret.mask {
            guard let previous else {
                throw ConnectorDefinitionError(
                    line: nil,
                    field: key,
                    message: "\(Secret.mask) keeps a stored secret, but none is stored"
                )
            }
            return previous
        }
        if text.hasPrefix("env:"), text.count == 4 {
            throw ConnectorDefinitionError(
                line: nil,
                field: key,
                message: "env: needs a variable name, e.g. env:S3_SECRET"
            )
        }
        return Secret(configurationText: text)
    }

    private static func webSettings(_ fields: inout ConfigFields) throws(ConnectorDefinitionError) -> WebSettings {
        guard let seeds = try fields.strings("seeds"), !seeds.isEmpty else {
            throw ConnectorDefinitionError(
                line: nil,
                field: "seeds",
                message: "required (the URLs the crawl starts from)"
            )
        }
        var hosts: [String] = []
        for seed in seeds {
            guard let url = URL(string: seed), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme),
                let host = url.host?.lowercased()
            else {
                throw ConnectorDefinitionError(
                    line: nil,
                    field: "seeds",
                    message: "\"\(seed.prefix(80))\" is not an http or https URL"
                )
            }
            if !hosts.contains(host) { hosts.append(host) }
        }
        var settings = WebSettings(
            seeds: seeds,
            allowedHosts: try fields.strings("allowed_hosts")?.map { $0.lowercased() } ?? hosts
        )
        if let prefixes = try fields.strings("allowed_prefixes") {
            guard prefixes.allSatisfy({ $0.hasPrefix("/") }) else {
                throw ConnectorDefinitionError(
                    line: nil,
                    field: "allowed_prefixes",
                    message: "each prefix is a path starting with /"
                )
            }
            settings.allowedPathPrefixes = prefixes
        }
        settings.maximumDepth = try fields.integer("max_depth", in: 0...100) ?? settings.maximumDepth
        settings.maximumPages = try fields.integer("max_pages", in: 1...10_000_000) ?? settings.maximumPages
        settings.concurrency = try fields.integer("concurrency", in: 1...64) ?? settings.concurrency
        settings.requestDelayMilliseconds =
            try fields.integer("delay_ms", in: 0...60_000) ?? settings.requestDelayMilliseconds
        settings.userAgent = try fields.string("user_agent") ?? settings.userAgent
        settings.useSitemaps = try fields.bool("use_sitemaps") ?? settings.useSitemaps
        if let bytes = try fields.integer("max_page_bytes", in: 1...(1 << 34)) {
            settings.maximumPageBytes = Int64(bytes)
        }
        return settings
    }

    /// The settings as ordered key/value pairs, the same keys as a configuration file.
    ///
    /// - Parameter redacted: show literal secrets as `********` (everything outside the store).
    public func configurationPairs(redacted: Bool) -> [(key: String, value: Any)] {
        var pairs: [(String, Any)] = [("name", name), ("type", type.rawValue), ("default_readers", defaultReaders)]
        if let schedule { pairs.append(("schedule", schedule.description)) }
        pairs.append(("chunk_size", chunking.targetSize))
        pairs.append(("chunk_overlap", chunking.overlap))
        func secret(_ key: String, _ value: Secret?) {
            if let value { pairs.append((key, redacted ? value.redacted : value.configurationText)) }
        }
        switch settings {
        case .filesystem(let settings):
            pairs.append(("root", settings.root))
            pairs.append(("max_file_bytes", settings.maximumFileBytes))
            pairs.append(("max_csv_bytes", settings.maximumCSVBytes))
        case .s3(let settings):
            pairs += [
                ("endpoint", settings.endpoint), ("region", settings.region), ("bucket", settings.bucket),
                ("prefix", settings.prefix), ("addressing", settings.addressing.rawValue),
            ]
            secret("access_key_id", settings.accessKeyID)
            secret("secret_access_key", settings.secretAccessKey)
            secret("session_token", settings.sessionToken)
            if let profile = settings.profile { pairs.append(("profile", profile)) }
            pairs.append(("max_object_bytes", settings.maximumObjectBytes))
            pairs.append(("max_csv_bytes", settings.maximumCSVBytes))
            pairs.append(("metadata_acl", settings.readsObjectMetadata))
            pairs.append(("timeout_seconds", settings.requestTimeoutSeconds))
        case .web(let settings):
            pairs += [
                ("seeds", settings.seeds), ("allowed_hosts", settings.allowedHosts),
                ("allowed_prefixes", settings.allowedPathPrefixes), ("max_depth", settings.maximumDepth),
                ("max_pages", settings.maximumPages), ("concurrency", settings.concurrency),
                ("delay_ms", settings.requestDelayMilliseconds), ("user_agent", settings.userAgent),
                ("use_sitemaps", settings.useSitemaps), ("max_page_bytes", settings.maximumPageBytes),
            ]
        }
        return pairs
    }

    /// The settings as a JSON object (`redacted` for anything leaving the store).
    public func json(redacted: Bool) throws -> Data {
        let object = Dictionary(uniqueKeysWithValues: configurationPairs(redacted: redacted).map { ($0.key, $0.value) })
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The definition as stored (secrets included: only the store holds this form).
    public func encodedJSON() throws -> String {
        String(decoding: try json(redacted: false), as: UTF8.self)
    }

    /// Reads a stored definition.
    public static func decode(json: String) throws -> ConnectorDefinition {
        try ConnectorDefinition(configuration: try ConfigValue.parse(json: Data(json.utf8)))
    }
}

extension ConnectorDefinition {
    /// Checks every field by reading the definition back from its own configuration.
    ///
    /// - Throws: ``ConnectorDefinitionError`` naming the field that is wrong.
    public func validate() throws {
        _ = try ConnectorDefinition(
            configuration: try ConfigValue.parse(json: try json(redacted: false)),
            existing: self
        )
    }
}
