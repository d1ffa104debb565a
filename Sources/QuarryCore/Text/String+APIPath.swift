import Foundation

extension String {
    /// This API base URL with `path` (such as `/chat/completions`) appended, trailing slashes
    /// dropped first; a URL that already ends in `path` is returned as it is.
    ///
    /// `"http://127.0.0.1:8000/v1/".appendingAPIPath("/embeddings")` is `http://127.0.0.1:8000/v1/embeddings`.
    /// A query (`?api-version=…`) and a fragment stay after the path.
    public func appendingAPIPath(_ path: String) -> String {
        guard var components = URLComponents(string: self), components.query != nil || components.fragment != nil
        else {
            var base = self
            while base.hasSuffix("/") { base.removeLast() }
            return base.hasSuffix(path) ? base : base + path
        }
        var base = components.percentEncodedPath
        while base.hasSuffix("/") { base.removeLast() }
        components.percentEncodedPath = base.hasSuffix(path) ? base : base + path
        return components.string ?? self
    }
}

extension String {
    /// This URL as it may be logged or shown: without a user name or password, and with a query
    /// replaced by `?…` (gateways take keys in both).
    public var redactingURLSecrets: String {
        guard var components = URLComponents(string: self) else { return "<unparsable URL>" }
        let hadQuery = components.query != nil
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return (components.string ?? "<unparsable URL>") + (hadQuery ? "?…" : "")
    }
}
