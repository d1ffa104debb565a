#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-level helpers for the index's directory: durable writes, mapping, checksums.
enum IndexFiles {
    /// A 64-bit checksum over bytes: eight 64-bit lanes, each mixed with multiply and xor-shift
    /// per 64-byte block, folded at the end with the length. Not cryptographic: it detects
    /// truncation, torn writes and flipped bits, at memory speed.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lanes = SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7) &* 0xC2B2_AE3D_27D4_EB4F &+ prime
        var offset = 0
        let count = bytes.count
        if let base = bytes.baseAddress {
            while offset &+ 64 <= count {
                let block = base.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt64>.self)
                lanes = (lanes ^ block) &* prime
                lanes ^= lanes &>> 29
                offset &+= 64
            }
            if offset < count {
                var tail = SIMD8<UInt64>()
                withUnsafeMutableBytes(of: &tail) { out in
                    out.baseAddress!.copyMemory(from: base + offset, byteCount: count - offset)
                }
                lanes = (lanes ^ tail) &* prime
                lanes ^= lanes &>> 29
            }
        }
        var hash = UInt64(count) &* prime
        for lane in 0..<8 {
            hash = (hash ^ lanes[lane]) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 33
        }
        return hash
    }

    /// Writes `parts` one after the other into a new file at `path`, then fsyncs it.
    static func write(_ parts: [UnsafeRawBufferPointer], to path: String) throws(VectorIndexError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io("create", path: path, errno: errno) }
        defer { close(descriptor) }
        for part in parts {
            guard var pointer = part.baseAddress else { continue }
            var remaining = part.count
            while remaining > 0 {
                let written = Glibc.write(descriptor, pointer, min(remaining, 1 << 30))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw .io("write", path: path, errno: errno)
                }
                pointer += written
                remaining -= written
            }
        }
        guard fsync(descriptor) == 0 else { throw .io("fsync", path: path, errno: errno) }
    }

    /// fsyncs a directory, so that renames and creations in it are durable.
    static func syncDirectory(_ path: String) throws(VectorIndexError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io("open", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io("fsync", path: path, errno: errno) }
    }

    /// Renames atomically.
    static func rename(_ from: String, to: String) throws(VectorIndexError) {
        guard Glibc.rename(from, to) == 0 else { throw .io("rename", path: from, errno: errno) }
    }

    /// Maps a file whose size must be `expectedBytes`; a missing file or another size is corruption.
    /// Zero bytes gives an empty allocation.
    static func map(_ path: String, expectedBytes: Int) throws(VectorIndexError) -> AlignedBuffer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw .corruptIndex("the index file \(path) is missing") }
            throw .io("open", path: path, errno: errno)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io("stat", path: path, errno: errno) }
        guard Int(info.st_size) == expectedBytes else {
            throw .corruptIndex("the index file \(path) has \(info.st_size) bytes where \(expectedBytes) were written")
        }
        if expectedBytes == 0 { return AlignedBuffer(byteCapacity: 64) }
        return try AlignedBuffer(mapping: descriptor, length: expectedBytes, path: path)
    }

    /// The names in a directory (without `.` and `..`).
    static func names(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates a directory (and its parents) if missing.
    static func createDirectory(_ path: String) throws(VectorIndexError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw .io("mkdir", path: prefix, errno: errno) }
            prefix += "/"
        }
    }
}
