import Foundation

/// A URL in the form the crawler compares and stores: absolute, http or https, lowercase scheme
/// and host, no default port, no fragment, a path of at least `/`.
struct CrawlURL: Hashable, Sendable, CustomStringConvertible {
    /// The normalised URL as text; also the document's external identifier.
    let text: String
    /// The lowercase host.
    let host: String
    /// `scheme://host[:port]`, the key of per-site state (robots.txt, politeness).
    let origin: String
    /// The path with its query, as sent in the request line.
    let pathAndQuery: String
    /// The path alone, for allowed-prefix checks.
    let path: String

    /// Normalises an absolute URL; nil for anything that is not http(s) with a host.
    init?(_ string: String) {
        guard let url = URL(string: string.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        self.init(url: url)
    }

    init?(url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let rawHost = url.host, !rawHost.isEmpty
        else { return nil }
        let host = rawHost.lowercased()
        var authority = host
        if let port = url.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) {
            authority += ":\(port)"
        }
        var components = URLComponents(url: url, resolvingAgainstBaseURL: true)
        components?.fragment = nil
        let encodedPath = components?.percentEncodedPath ?? "/"
        let path = encodedPath.isEmpty ? "/" : encodedPath
        let query = components?.percentEncodedQuery.map { "?" + $0 } ?? ""
        self.host = host
        self.origin = "\(scheme)://\(authority)"
        self.path = path
        self.pathAndQuery = path + query
        self.text = origin + pathAndQuery
    }

    /// Resolves a link found on `base` (relative or absolute); nil for `mailto:`, `javascript:` and the like.
    static func resolve(_ href: String, against base: CrawlURL) -> CrawlURL? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        guard let baseURL = URL(string: base.text), let resolved = URL(string: trimmed, relativeTo: baseURL) else {
            return nil
        }
        return CrawlURL(url: resolved.absoluteURL)
    }

    var description: String { text }
}
