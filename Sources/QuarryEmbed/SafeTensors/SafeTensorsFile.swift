import Foundation

/// A `.safetensors` file, memory-mapped, with its header parsed and validated.
///
/// The format is an 8-byte little-endian header length, a JSON header mapping each tensor's name
/// to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the end of the
/// header), then the tensors' bytes. On opening, every entry is checked: a known dtype, a shape of
/// non-negative dimensions whose element count times the dtype's size equals the byte range, and a
/// range inside the file. Tensors may not overlap. A file that fails any check is refused as a whole.
///
/// ```swift
/// let file = try SafeTensorsFile(path: "model.safetensors")
/// let embeddings = try file.floats("embeddings.word_embeddings.weight", shape: [30522, 384])
/// ```
public struct SafeTensorsFile: Sendable {
    /// The element type of a tensor, as named in the header.
    public enum DType: String, Sendable, CaseIterable {
        case f64 = "F64"
        case f32 = "F32"
        case f16 = "F16"
        case bf16 = "BF16"
        case i64 = "I64"
        case i32 = "I32"
        case i16 = "I16"
        case i8 = "I8"
        case u64 = "U64"
        case u32 = "U32"
        case u16 = "U16"
        case u8 = "U8"
        case bool = "BOOL"

        /// The size of one element in bytes.
        public var size: Int {
            switch self {
            case .f64, .i64, .u64: 8
            case .f32, .i32, .u32: 4
            case .f16, .bf16, .i16, .u16: 2
            case .i8, .u8, .bool: 1
            }
        }
    }

    /// One tensor's entry in the header.
    public struct Tensor: Sendable, Equatable {
        /// The tensor's name, such as `encoder.layer.0.attention.self.query.weight`.
        public var name: String
        /// Its element type.
        public var dtype: DType
        /// Its dimensions, outermost first (row-major).
        public var shape: [Int]
        /// Its bytes, as offsets from the start of the file.
        public var byteRange: Range<Int>
    }

    /// The largest header accepted (the format's own limit is 100 MB).
    static let maximumHeaderBytes = 100_000_000

    private let file: MappedFile
    /// The tensors, by name.
    public let tensors: [String: Tensor]
    /// The header's `__metadata__` strings.
    public let metadata: [String: String]

    /// The file's path.
    public var path: String { file.path }

    /// Maps and validates the file at `path`.
    ///
    /// - Throws: ``EmbeddingError/modelNotFound(_:)`` if there is no file there,
    ///   ``EmbeddingError/damagedModel(_:)`` naming the first problem found otherwise.
    public init(path: String) throws {
        file = try MappedFile(path: path)
        (tensors, metadata) = try Self.parseHeader(of: file)
    }

    private static func parseHeader(of file: MappedFile) throws -> ([String: Tensor], [String: String]) {
        let bytes = file.bytes
        func damaged(_ problem: String) -> EmbeddingError {
            .damagedModel("\(file.path) is not a valid safetensors file: \(problem); \(EmbeddingError.installHint)")
        }
        guard bytes.count >= 8 else {
            throw damaged("it has \(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let headerLength = bytes.loadUnaligned(as: UInt64.self).littleEndian
        guard headerLength <= UInt64(min(maximumHeaderBytes, bytes.count - 8)) else {
            throw damaged("its header length (\(headerLength) bytes) runs past the end of the \(bytes.count)-byte file")
        }
        let dataStart = 8 + Int(headerLength)
        let header = Data(bytes[8..<dataStart])
        guard let object = try? JSONSerialization.jsonObject(with: header), let entries = object as? [String: Any]
        else { throw damaged("its header is not a JSON object") }

        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        let dataCount = bytes.count - dataStart
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else { throw damaged("__metadata__ is not strings") }
                metadata = strings
                continue
            }
            guard let entry = value as? [String: Any] else { throw damaged("entry \(name) is not an object") }
            guard let dtypeName = entry["dtype"] as? String, let dtype = DType(rawValue: dtypeName) else {
                throw damaged("tensor \(name) has an unknown dtype \(String(describing: entry["dtype"] ?? "nil"))")
            }
            guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw damaged("tensor \(name) has no valid shape")
            }
            guard let offsets = integers(entry["data_offsets"]), offsets.count == 2, offsets[0] >= 0,
                offsets[0] <= offsets[1], offsets[1] <= dataCount
            else { throw damaged("tensor \(name) has data offsets outside the \(dataCount) bytes of data") }
            let (elements, overflow) = shape.reduce((1, false)) { partial, dimension in
                let product = partial.0.multipliedReportingOverflow(by: dimension)
                return (product.partialValue, partial.1 || product.overflow)
            }
            guard !overflow,
                elements.multipliedReportingOverflow(by: dtype.size).partialValue == offsets[1] - offsets[0]
            else {
                throw damaged(
                    "tensor \(name) has shape \(shape) of \(dtype.rawValue) but \(offsets[1] - offsets[0]) bytes"
                )
            }
            tensors[name] = Tensor(
                name: name,
                dtype: dtype,
                shape: shape,
                byteRange: (dataStart + offsets[0])..<(dataStart + offsets[1])
            )
        }
        let ordered = tensors.values.filter { !$0.byteRange.isEmpty }.sorted {
            $0.byteRange.lowerBound < $1.byteRange.lowerBound
        }
        for (previous, next) in zip(ordered, ordered.dropFirst())
        where next.byteRange.lowerBound < previous.byteRange.upperBound {
            throw damaged("tensors \(previous.name) and \(next.name) overlap")
        }
        return (tensors, metadata)
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [Any] else { return nil }
        var result: [Int] = []
        for number in numbers {
            guard let integer = number as? Int else { return nil }
            result.append(integer)
        }
        return result
    }

    /// The values of an `F32` tensor, in place in the mapping (valid while this value is alive).
    ///
    /// - Parameters:
    ///   - name: The tensor's name.
    ///   - shape: The shape the caller expects; the tensor must have exactly this shape.
    /// - Throws: ``EmbeddingError/damagedModel(_:)`` if the tensor is missing, is not `F32`, has
    ///   another shape, or is not aligned to 4 bytes.
    public func floats(_ name: String, shape: [Int]) throws -> UnsafeBufferPointer<Float> {
        guard let tensor = tensors[name] else {
            throw EmbeddingError.damagedModel("\(path) has no tensor \(name); \(EmbeddingError.installHint)")
        }
        guard tensor.dtype == .f32, tensor.shape == shape else {
            throw EmbeddingError.damagedModel(
                "tensor \(name) in \(path) is \(tensor.dtype.rawValue) \(tensor.shape), expected F32 \(shape)"
            )
        }
        guard let base = file.base else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = base + tensor.byteRange.lowerBound
        guard Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 else {
            throw EmbeddingError.damagedModel("tensor \(name) in \(path) is not aligned to 4 bytes")
        }
        return UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: tensor.byteRange.count / 4)
    }
}
