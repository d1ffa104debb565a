import Foundation

#if canImport(Glibc)
import Glibc

#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file below a root folder without following symbolic links at any step.
///
/// Every component of the relative path is opened with `openat(…, O_NOFOLLOW)` from the root's
/// descriptor, and the file is checked with `fstat` on the open descriptor, so a file or folder
/// swapped for a link after the listing saw it cannot redirect the read outside the root.
struct NoFollowFileReader {
    /// What the open file is, as `fstat` saw it.
    struct Contents {
        let data: Data
        let size: Int64
        let modifiedMicroseconds: Int64
    }

    /// Why a read was refused.
    enum Failure: Error {
        case missing
        case notRegularFile
        case tooLarge(Int64)
        case system(String)
    }

    let root: String
    let maximumBytes: Int64

    func read(_ relativePath: String) throws(Failure) -> Contents {
        let file = try openFile(relativePath)
        return Contents(data: try file.readAll(), size: file.size, modifiedMicroseconds: file.modifiedMicroseconds)
    }

    /// Opens the file without reading it, for content too large to hold in memory.
    func openFile(_ relativePath: String) throws(Failure) -> OpenFile {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !components.isEmpty, !components.contains(".."), !components.contains(".") else {
            throw .system("invalid path")
        }
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw Self.failure(errno) }
        defer { close(directory) }
        for component in components.dropLast() {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw Self.failure(errno) }
            close(directory)
            directory = next
        }
        let descriptor = openat(directory, components.last!, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw Self.failure(errno) }
        let file = OpenFile(descriptor: descriptor)
        let info = try file.status()
        guard info.kind == .regular else { throw .notRegularFile }
        guard info.size <= maximumBytes else { throw .tooLarge(info.size) }
        file.size = info.size
        file.modifiedMicroseconds = info.modifiedMicroseconds
        return file
    }

    static func failure(_ code: Int32) -> Failure {
        switch code {
        case ENOENT: .missing
        case ELOOP, ENOTDIR: .notRegularFile  // a symbolic link where a file or folder was
        default: .system(String(cString: strerror(code)))
        }
    }
}

/// A file opened by ``NoFollowFileReader``, closed when the value goes away.
///
/// Reads go through `pread` at explicit offsets, so the descriptor is never shared mutable state;
/// `size` and `modifiedMicroseconds` are set once, by the reader, before the value is handed out.
final class OpenFile: @unchecked Sendable {  // immutable after `NoFollowFileReader.open` returns
    private let descriptor: Int32
    fileprivate(set) var size: Int64 = 0
    fileprivate(set) var modifiedMicroseconds: Int64 = 0

    fileprivate init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The file's version stamp as it was opened.
    var version: String { "\(size)-\(modifiedMicroseconds)" }

    /// What `fstat` says about the open file now.
    func status() throws(NoFollowFileReader.Failure) -> FileStatus {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw NoFollowFileReader.failure(errno) }
        return FileStatus(status)
    }

    /// The file's bytes, up to the size it had when it was opened.
    func readAll() throws(NoFollowFileReader.Failure) -> Data {
        var data = Data(count: Int(size))
        var offset = 0
        while offset < data.count {
            let result = data.withUnsafeMutableBytes { buffer in
                Result { () throws(NoFollowFileReader.Failure) in
                    try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset...]), at: Int64(offset))
                }
            }
            let count = try result.get()
            if count == 0 { break }  // the file shrank while being read
            offset += count
        }
        data.count = offset
        return data
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(NoFollowFileReader.Failure) -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw NoFollowFileReader.failure(errno) }
        }
    }
}

/// What `lstat` or `fstat` says about a file, reduced to what the connector needs.
struct FileStatus: Equatable {
    enum Kind: Equatable {
        case regular, directory, other
    }

    let kind: Kind
    let size: Int64
    let modifiedMicroseconds: Int64

    init(_ status: stat) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        default: kind = .other  // symbolic links, sockets, devices, pipes
        }
        size = Int64(status.st_size)
        #if canImport(Glibc)
        modifiedMicroseconds = Int64(status.st_mtim.tv_sec) * 1_000_000 + Int64(status.st_mtim.tv_nsec) / 1000
        #else
        modifiedMicroseconds =
            Int64(status.st_mtimespec.tv_sec) * 1_000_000 + Int64(status.st_mtimespec.tv_nsec) / 1000
        #endif
    }

    /// `lstat` of a path: the link itself, never its target.
    static func of(linkAt path: String) throws(NoFollowFileReader.Failure) -> FileStatus {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw NoFollowFileReader.failure(errno) }
        return FileStatus(status)
    }

    /// The version stamp of a file: its size and modification time in microseconds.
    var version: String { "\(size)-\(modifiedMicroseconds)" }
}
