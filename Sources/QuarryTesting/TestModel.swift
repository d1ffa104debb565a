public import QuarryCore
public import QuarryEmbed
import Synchronization

/// The real all-MiniLM-L6-v2, loaded once per test process from the `.venv` that
/// `scripts/setup.sh` fills (tests run from the package's root).
public enum TestModel {
    private static let loaded: Result<MiniLMEmbedder, any Error> = Result { try MiniLMEmbedder() }
    private static let memory = MemoryCache()

    /// The shared embedder; throws the loading error (what to install) if the model is missing.
    public static func embedder() throws -> MiniLMEmbedder { try loaded.get() }

    /// The shared embedder behind a cache that lives as long as the test process, so that the
    /// many test stores that index the sample handbook run the model over it once. Every vector is
    /// the model's own; only repeated work is saved.
    public static func memoized() throws -> any Embedder {
        OneAtATime(inner: try embedder().cached(in: memory), turnstile: turnstile)
    }

    private static let turnstile = Turnstile()

    /// Runs one embedding call at a time, so that tests starting together wait for the first to
    /// fill the cache instead of all running the model over the same texts.
    private struct OneAtATime: Embedder {
        let inner: any Embedder
        let turnstile: Turnstile
        var model: String { inner.model }
        var dimension: Int { inner.dimension }

        func embed(_ texts: [String]) async throws -> [[Float]] {
            await turnstile.enter()
            do {
                let vectors = try await inner.embed(texts)
                await turnstile.leave()
                return vectors
            } catch {
                await turnstile.leave()
                throw error
            }
        }
    }

    /// An asynchronous lock: callers enter in turn.
    private actor Turnstile {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func enter() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
    }

    /// Vectors by text hash and model, in memory.
    private final class MemoryCache: EmbeddingCache {
        private let vectors = Mutex<[String: [Float]]>([:])

        func cachedVectors(for hashes: [String], model: String) async throws -> [String: [Float]] {
            vectors.withLock { stored in
                var found: [String: [Float]] = [:]
                for hash in hashes { found[hash] = stored[model + "/" + hash] }
                return found
            }
        }

        func storeVectors(_ new: [String: [Float]], model: String) async throws {
            vectors.withLock { stored in
                for (hash, vector) in new where stored[model + "/" + hash] == nil {
                    stored[model + "/" + hash] = vector
                }
            }
        }
    }
}
