import Foundation
import Hummingbird

/// Reads a JSON request body with a size limit, turning every way it can be wrong into a 400 or 413 that says what.
enum RequestBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem.contentTooLarge(limit: limit)
        }
        let buffer = try await request.body.collect(upTo: limit)
        guard buffer.readableBytes > 0 else {
            throw Problem.badRequest("empty_body", "The request body is empty; send a JSON object.")
        }
        let data = Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem.badRequest("invalid_json", describe(error))
        } catch {
            throw Problem.badRequest("invalid_json", "The request body is not valid JSON.")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "The request body is not valid JSON."
        case .dataCorrupted(let context):
            return "The field \"\(path(context))\" has an invalid value."
        case .keyNotFound(let key, let context):
            return "The field \"\(path(context, key))\" is required."
        case .typeMismatch(let type, let context):
            return context.codingPath.isEmpty
                ? "The request body must be a JSON object."
                : "The field \"\(path(context))\" must be \(describe(type))."
        case .valueNotFound(let type, let context):
            return "The field \"\(path(context))\" must be \(describe(type)), not null."
        @unknown default:
            return "The request body is not valid."
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        default: "of another type"
        }
    }
}
