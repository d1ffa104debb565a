import Foundation

#if canImport(Glibc)
import Glibc

private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin

private let systemRead = Darwin.read
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
        let file = openat(directory, components.last!, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard file >= 0 else { throw Self.failure(errno) }
        defer { close(file) }

        var status = stat()
        guard fstat(file, &status) == 0 else { throw Self.failure(errno) }
        let info = FileStatus(status)
        guard info.kind == .regular else { throw .notRegularFile }
        guard info.size <= maximumBytes else { throw .tooLarge(info.size) }
        let size = info.size
        let modified = info.modifiedMicroseconds

        var data = Data(count: Int(size))
        var offset = 0
        while offset < data.count {
            let count = data.withUnsafeMutableBytes { buffer in
                systemRead(file, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.failure(errno)
            }
            if count == 0 { break }  // the file shrank while being read
            offset += count
        }
        data.count = offset
        return Contents(data: data, size: size, modifiedMicroseconds: modified)
    }

    static func failure(_ code: Int32) -> Failure {
        switch code {
        case ENOENT: .missing
        case ELOOP, ENOTDIR: .notRegularFile  // a symbolic link where a file or folder was
        default: .system(String(cString: strerror(code)))
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
