public import QuarryEmbed

/// The real all-MiniLM-L6-v2, loaded once per test process from the `.venv` that
/// `scripts/setup.sh` fills (tests run from the package's root).
public enum TestModel {
    private static let loaded: Result<MiniLMEmbedder, any Error> = Result { try MiniLMEmbedder() }

    /// The shared embedder; throws the loading error (what to install) if the model is missing.
    public static func embedder() throws -> MiniLMEmbedder { try loaded.get() }
}
