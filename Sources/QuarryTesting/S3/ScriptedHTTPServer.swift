public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers each connection with the next scripted
/// response, for testing retries, timeouts and broken answers without a real S3.
///
/// Each connection gets one response and is closed (`Connection: close`); every request's line
/// and headers are recorded. When the script runs out, the last response repeats. A thread per
/// connection, so a deliberately slow answer does not hold up the next one.
// @unchecked Sendable: `responses`, `requests` and `listener` are guarded by `lock`.
public final class ScriptedHTTPServer: @unchecked Sendable {
    /// One scripted answer.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// Headers besides `Content-Length` and `Connection`.
        public var headers: [(String, String)]
        /// The body.
        public var body: Data
        /// Wait this long before answering (to trigger client timeouts).
        public var delay: Duration
        /// Close the connection without answering.
        public var dropsConnection: Bool

        /// Creates a response.
        public init(
            status: Int,
            headers: [(String, String)] = [],
            body: String = "",
            delay: Duration = .zero,
            dropsConnection: Bool = false
        ) {
            self.status = status
            self.headers = headers
            self.body = Data(body.utf8)
            self.delay = delay
            self.dropsConnection = dropsConnection
        }

        /// Closes the connection as soon as the request has arrived.
        public static let dropped = Response(status: 0, dropsConnection: true)
    }

    /// A request as received.
    public struct Request: Sendable {
        /// `GET /bucket?list-type=2 HTTP/1.1`.
        public var line: String
        /// Headers with lower-cased names.
        public var headers: [String: String]
        /// The body, as far as `Content-Length` announced it.
        public var body: Data = Data()
    }

    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    /// The port.
    public let port: Int
    private let lock = NSLock()
    private var responses: [Response]
    private var received: [Request] = []
    private var listener: Int32

    /// Starts listening; answers follow `responses` in order.
    public init(responses: [Response]) throws {
        precondition(!responses.isEmpty, "give at least one response")
        let socket = LoopbackSocket.make()
        guard socket >= 0 else { throw TestProcessError(description: "socket() failed") }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = MotoServer.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socket, 16) == 0 else {
            close(socket)
            throw TestProcessError(description: "bind() or listen() failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        endpoint = "http://127.0.0.1:\(port)"
        listener = socket
        self.responses = responses
        let thread = Thread { [self] in acceptLoop(socket) }
        thread.start()
    }

    deinit {
        stop()
    }

    /// The requests received so far.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Stops accepting connections.
    public func stop() {
        lock.lock()
        let socket = listener
        listener = -1
        lock.unlock()
        guard socket >= 0 else { return }
        // Shut down only: the accept loop closes the descriptor itself once `accept` fails. Closing
        // it here would let its number be reused by another server's socket while the loop is
        // between two `accept` calls, and the loop would then answer that server's clients.
        shutdown(socket, Int32(SHUT_RDWR))
    }

    private func acceptLoop(_ socket: Int32) {
        while true {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else {
                close(socket)
                return
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func nextResponse(for request: Request) -> Response {
        lock.lock()
        defer { lock.unlock() }
        received.append(request)
        return responses.count > 1 ? responses.removeFirst() : responses[0]
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            data += buffer[0..<count]
            headerEnd = Self.find(terminator, in: data)
            if data.count > 1 << 20 { return }
        }
        let head = String(decoding: data[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let line = lines.removeFirst()
        var headers: [String: String] = [:]
        for header in lines {
            guard let colon = header.firstIndex(of: ":") else { continue }
            headers[header[..<colon].lowercased()] = header[header.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        // Read the body the client sends (up to 16 MiB).
        var body = Array(data[(headerEnd! + 4)...])
        var bodyMissing = min(Int(headers["content-length"] ?? "0") ?? 0, 16 << 20) - body.count
        while bodyMissing > 0 {
            let count = recv(connection, &buffer, min(buffer.count, bodyMissing), 0)
            guard count > 0 else { break }
            body += buffer[0..<count]
            bodyMissing -= count
        }
        let response = nextResponse(for: Request(line: line, headers: headers, body: Data(body)))
        if response.delay > .zero {
            let (seconds, attoseconds) = response.delay.components
            usleep(UInt32(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        }
        if response.dropsConnection { return }
        var text = "HTTP/1.1 \(response.status) Scripted\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        let isHead = line.hasPrefix("HEAD ")
        if !response.headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            text += "Content-Length: \(response.body.count)\r\n"
        }
        text += "Connection: close\r\n\r\n"
        var bytes = Array(text.utf8)
        if !isHead { bytes += response.body }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, LoopbackSocket.sendFlags)
            }
            guard count > 0 else { return }
            sent += count
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
