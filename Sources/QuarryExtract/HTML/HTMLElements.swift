/// What the HTML extractor does with each kind of element.
enum HTMLElements {
    /// Elements whose content is never text to index: code, media, forms' controls, and the page's
    /// navigation and side matter.
    static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "frame", "frameset",
        "object", "embed", "applet", "audio", "video", "picture", "map", "head", "title", "meta", "link",
        "nav", "aside", "footer", "dialog", "menu", "button", "select", "option", "optgroup", "textarea",
        "input", "datalist", "output", "progress", "meter",
    ]

    /// Elements that end the running text and start a new block.
    static let blocks: Set<String> = [
        "html", "body", "main", "article", "section", "header", "div", "p", "blockquote", "figure",
        "figcaption", "address", "details", "summary", "dl", "dt", "dd", "ul", "ol", "li", "pre", "listing",
        "xmp", "plaintext", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "table", "caption", "thead", "tbody",
        "tfoot", "tr", "td", "th", "hr", "center", "fieldset", "legend", "form", "search", "noframes",
    ]

    /// Elements that hold sections of content: a `<header>` inside one of them is the section's
    /// own (its title), while one outside is the page's banner.
    static let sectioning: Set<String> = ["article", "section", "main"]

    /// `role` values of navigation and side matter.
    static let skippedRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar",
        "dialog", "alertdialog", "tablist", "tooltip",
    ]

    /// Class and id tokens that mark navigation, side matter and permalink decorations, matched
    /// whole (`sidebar` matches `class="sidebar"`, never `class="sidebar-content-main"`).
    static let skippedTokens: Set<String> = [
        "nav", "navbar", "navigation", "menu", "sidebar", "sphinxsidebar", "breadcrumb", "breadcrumbs",
        "footer", "site-footer", "site-header", "masthead", "cookie", "cookies", "cookie-banner",
        "cookie-consent", "skip-link", "skip-to-content", "headerlink", "sr-only", "visually-hidden",
        "screen-reader-text", "share", "social", "related", "pagination", "advert", "advertisement",
    ]

    /// The heading level of `h1`…`h6`.
    static func headingLevel(_ name: String) -> Int? {
        guard name.count == 2, name.first == "h", let digit = name.last?.wholeNumberValue, (1...6).contains(digit)
        else { return nil }
        return digit
    }

    /// Whether an element is hidden from readers: `hidden`, `aria-hidden="true"` or an inline
    /// `display: none` / `visibility: hidden`.
    static func isHidden(_ node: HTMLNode) -> Bool {
        guard node.hasAttributes else { return false }
        if node.attribute("hidden") != nil { return true }
        if node.attribute("aria-hidden")?.lowercased() == "true" { return true }
        if let style = node.attribute("style")?.lowercased().filter({ $0 != " " }),
            style.contains("display:none") || style.contains("visibility:hidden")
        {
            return true
        }
        return false
    }

    /// Whether an element is boilerplate by its role, class or id.
    static func isBoilerplate(_ node: HTMLNode) -> Bool {
        guard node.hasAttributes else { return false }
        if let role = node.attribute("role")?.lowercased(), skippedRoles.contains(role) { return true }
        return node.hasClassOrID(in: skippedTokens)
    }
}
