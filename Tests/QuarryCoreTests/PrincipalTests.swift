import QuarryCore
import Testing

struct PrincipalTests {
    @Test(arguments: [
        ("everyone", Principal.everyone),
        ("EVERYONE", .everyone),
        ("user:bob", .user("bob")),
        (" group:HR ", .group("hr")),
        ("user:jose.garcia@northwind.example", .user("jose.garcia@northwind.example")),
    ])
    func parsesReaders(text: String, expected: Principal) throws {
        #expect(try Principal(parsing: text) == expected)
    }

    @Test(arguments: [
        "", "bob", "team:hr", "user:", "group:h r", "user:-bob", "group:" + String(repeating: "a", count: 65),
        "user:bob;drop",
    ])
    func rejectsInvalidReaders(text: String) {
        #expect(throws: AccessError.self) { try Principal(parsing: text) }
    }

    @Test func errorNamesTheReaderAndTheReason() {
        do {
            _ = try Principal(parsing: "team:hr")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("team:hr"))
            #expect(error.description.contains("unknown kind"))
        }
    }

    @Test func scopeReadsWhatItsPrincipalsAreGranted() {
        let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
        let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
        let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)
        let hrOnly = AccessPolicy(readers: [.group("hr")])
        let bobOnly = AccessPolicy(readers: [.user("bob")])

        #expect(bob.canRead(hrOnly))
        #expect(bob.canRead(bobOnly))
        #expect(bob.canRead(.everyone))
        #expect(!carol.canRead(hrOnly))
        #expect(!carol.canRead(bobOnly))
        #expect(carol.canRead(.everyone))
        #expect(!bob.canRead(.adminsOnly))
        #expect(admin.canRead(.adminsOnly))
        #expect(admin.canRead(hrOnly))
    }

    @Test func policyRoundTripsThroughJSON() throws {
        let policy = try AccessPolicy(parsing: ["group:hr", "user:bob", "everyone"])
        #expect(policy.readerKeys == ["everyone", "group:hr", "user:bob"])
    }
}
