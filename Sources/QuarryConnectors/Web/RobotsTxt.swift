import Foundation

/// The rules of a site's robots.txt that apply to one user agent (RFC 9309).
///
/// The group whose `User-agent` matches the crawler's product token wins, else the `*` group.
/// Among `Allow`/`Disallow` rules the longest matching pattern decides (`Allow` on a tie);
/// patterns may use `*` and a final `$`. `Crawl-delay` and `Sitemap` lines are kept.
struct RobotsTxt: Sendable {
    private struct Rule: Sendable {
        let allow: Bool
        let pattern: String
    }

    private let rules: [Rule]
    /// Seconds between requests the site asks for, if it says.
    let crawlDelay: Double?
    /// Sitemaps the file names (for any user agent).
    let sitemaps: [String]

    /// A file that allows everything (a missing robots.txt).
    static let allowAll = RobotsTxt(rules: [], crawlDelay: nil, sitemaps: [])
    /// A file that forbids everything (robots.txt could not be read: RFC 9309 says assume complete disallow).
    static let disallowAll = RobotsTxt(rules: [Rule(allow: false, pattern: "/")], crawlDelay: nil, sitemaps: [])

    private init(rules: [Rule], crawlDelay: Double?, sitemaps: [String]) {
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
    }

    /// Parses a robots.txt for a crawler whose `User-Agent` is `userAgent`.
    init(parsing text: String, userAgent: String) {
        let token = userAgent.split(separator: "/").first.map { $0.lowercased() } ?? userAgent.lowercased()
        var groups: [(agents: [String], rules: [Rule], delay: Double?)] = []
        var sitemaps: [String] = []
        var collectingAgents = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch field {
            case "user-agent":
                if !collectingAgents || groups.isEmpty { groups.append(([], [], nil)) }
                groups[groups.count - 1].agents.append(value.lowercased())
                collectingAgents = true
            case "allow", "disallow":
                collectingAgents = false
                guard !groups.isEmpty else { continue }
                if field == "disallow" && value.isEmpty { continue }  // "Disallow:" allows everything
                groups[groups.count - 1].rules.append(Rule(allow: field == "allow", pattern: value))
            case "crawl-delay":
                collectingAgents = false
                guard !groups.isEmpty, let delay = Double(value), delay >= 0 else { continue }
                groups[groups.count - 1].delay = delay
            case "sitemap":
                if !value.isEmpty { sitemaps.append(value) }
            default:
                continue
            }
        }
        let specific = groups.filter { group in group.agents.contains { $0 != "*" && token.hasPrefix($0) } }
        let chosen = specific.isEmpty ? groups.filter { $0.agents.contains("*") } : specific
        rules = chosen.flatMap(\.rules)
        crawlDelay = chosen.compactMap(\.delay).max()
        self.sitemaps = sitemaps
    }

    /// Whether the crawler may fetch `pathAndQuery`.
    func allows(_ pathAndQuery: String) -> Bool {
        if pathAndQuery == "/robots.txt" { return true }
        var best: (length: Int, allow: Bool)?
        for rule in rules where Self.matches(rule.pattern, pathAndQuery) {
            let length = rule.pattern.count
            if best == nil || length > best!.length || (length == best!.length && rule.allow) {
                best = (length, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    /// `*` matches any run of characters; a final `$` anchors the end.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var pattern = Substring(pattern)
        let anchored = pattern.hasSuffix("$")
        if anchored { pattern = pattern.dropLast() }
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false)
        var remainder = Substring(path)
        for (index, piece) in pieces.enumerated() {
            if index == 0 {
                guard remainder.hasPrefix(piece) else { return false }
                remainder = remainder.dropFirst(piece.count)
            } else if piece.isEmpty {
                continue
            } else if index == pieces.count - 1 && anchored {
                return remainder.hasSuffix(piece)
            } else {
                guard let range = remainder.range(of: piece) else { return false }
                remainder = remainder[range.upperBound...]
            }
        }
        return !anchored || remainder.isEmpty || (pieces.count > 1 && pieces.last!.isEmpty)
    }
}
