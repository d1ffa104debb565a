import Crypto
import Foundation
import QuarryCore

/// Files in the data directory that hold streamed content while it is extracted, one folder per
/// connector (`spool/CONNECTOR-ID/`), private to Quarry's user.
///
/// A spooled file is hashed as it is written, so that an unchanged document is recognised
/// without being read twice. Only the holder of a connector's sync lease uses its folder, and it
/// empties the folder when it starts: files left by a killed sync go then.
struct ContentSpool: Sendable {
    let folder: URL

    init(dataDirectory: URL, connectorID: Int64) {
        folder = dataDirectory.appendingPathComponent("spool", isDirectory: true)
            .appendingPathComponent("\(connectorID)", isDirectory: true)
    }

    /// A written file: where it is, how long it is, and the SHA-256 of its bytes.
    struct File: Sendable {
        let path: String
        let size: Int64
        let sha256: String

        func remove() {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// The content was larger than allowed.
    struct TooLarge: Error, CustomStringConvertible {
        let limit: Int64
        var description: String { "it is over the limit of \(limit) bytes for streamed documents" }
    }

    /// Deletes whatever an earlier sync left in the folder, and makes sure the folder exists.
    func reset() throws {
        let manager = FileManager.default
        try? manager.removeItem(at: folder)
        try manager.createDirectory(
            at: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }

    /// Writes `stream` to a new file, hashing it; the file is removed again if anything fails.
    ///
    /// - Parameter inspect: called once with the first 8 KiB (or all, if shorter), before more is
    ///   written; throwing stops the download there.
    func write(
        _ stream: ContentStream,
        limit: Int64,
        inspectingHead inspect: (Data) throws -> Void = { _ in }
    ) async throws -> File {
        let path = folder.appendingPathComponent(UUID().uuidString).path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        var hasher = SHA256()
        var size: Int64 = 0
        var head: Data? = Data()
        do {
            defer { try? handle.close() }
            try await stream.write { piece in
                size += Int64(piece.count)
                guard size <= limit else { throw TooLarge(limit: limit) }
                if var first = head {
                    first.append(piece.prefix(8192 - first.count))
                    head = first.count >= 8192 ? nil : first
                    if head == nil { try inspect(first) }
                }
                hasher.update(data: piece)
                try handle.write(contentsOf: piece)
            }
            if let head { try inspect(head) }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return File(path: path, size: size, sha256: digest)
    }
}

/// Reads a file a piece at a time from a blocking thread.
struct SpoolReader {
    private let handle: FileHandle
    private let pieceSize: Int

    init(path: String, pieceSize: Int = 1 << 20) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        self.pieceSize = pieceSize
    }

    /// The next piece, or nil at the end.
    func next() throws -> Data? {
        let piece = try handle.read(upToCount: pieceSize)
        return piece?.isEmpty == false ? piece : nil
    }

    func close() {
        try? handle.close()
    }
}
