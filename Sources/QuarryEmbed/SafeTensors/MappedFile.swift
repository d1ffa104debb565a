import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory, unmapped when the last reference goes.
///
/// The pages are the kernel's page cache: several processes running the same model share them,
/// and nothing is read until a page is touched.
// @unchecked Sendable: the mapping is read-only and never changes after `init`; no state is mutable.
final class MappedFile: @unchecked Sendable {
    /// The first byte of the mapping (nil for an empty file).
    let base: UnsafeRawPointer?
    /// The file's size in bytes.
    let count: Int
    /// The file's path, for error messages.
    let path: String

    /// Maps the file at `path`.
    ///
    /// - Throws: ``EmbeddingError/modelNotFound(_:)`` when the file does not exist,
    ///   ``EmbeddingError/damagedModel(_:)`` when it cannot be opened or mapped.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == ENOENT {
                throw EmbeddingError.modelNotFound("\(path) does not exist; \(EmbeddingError.installHint)")
            }
            throw EmbeddingError.damagedModel("cannot open \(path): \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw EmbeddingError.damagedModel("\(path) is not a regular file")
        }
        count = Int(status.st_size)
        guard count > 0 else {
            base = nil
            return
        }
        let mapping = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapping, mapping != MAP_FAILED else {
            throw EmbeddingError.damagedModel("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapping)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The bytes as a buffer (empty for an empty file).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
