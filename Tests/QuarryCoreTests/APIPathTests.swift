import QuarryCore
import Testing

struct APIPathTests {
    @Test func thePathGoesBeforeAnyQuery() {
        #expect("http://127.0.0.1:8000/v1/".appendingAPIPath("/embeddings") == "http://127.0.0.1:8000/v1/embeddings")
        #expect("http://h/v1/chat/completions".appendingAPIPath("/chat/completions") == "http://h/v1/chat/completions")
        #expect(
            "https://gw.example/v1?api-version=2024-06-01".appendingAPIPath("/chat/completions")
                == "https://gw.example/v1/chat/completions?api-version=2024-06-01"
        )
        #expect("http://[::1]:8000/v1".appendingAPIPath("/moderations") == "http://[::1]:8000/v1/moderations")
    }

    @Test func secretsInAURLAreNeverShown() {
        #expect("http://user:pw@host:8000/v1?key=x#frag".redactingURLSecrets == "http://host:8000/v1?…")
        #expect("http://[::1]:8000/v1".redactingURLSecrets == "http://[::1]:8000/v1")
        let odd = "ftp://u:sk-1@h/x?k=sk-2".redactingURLSecrets
        #expect(!odd.contains("sk-1") && !odd.contains("sk-2"), "\(odd)")
    }
}
