import GRDB

extension Store {
    /// Replaces a conversation's title when it is still `old` (a title taken from a question that
    /// the guardrails then masked or blocked, so that what they caught is not kept in the title).
    ///
    /// Titles are cut to 120 Unicode scalars, as when the conversation was created.
    public func replaceConversationTitle(id: String, old: String, new: String) async throws {
        let newTitle = String(String.UnicodeScalarView(new.unicodeScalars.prefix(120)))
        let oldTitle = String(String.UnicodeScalarView(old.unicodeScalars.prefix(120)))
        try await database.write { db in
            try db.execute(
                sql: "UPDATE conversation SET title = ? WHERE id = ? AND title = ?",
                arguments: [newTitle, id, oldTitle]
            )
        }
    }
}
