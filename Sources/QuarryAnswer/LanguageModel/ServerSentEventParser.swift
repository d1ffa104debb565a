/// Splits a `text/event-stream` body into its events' data, however the bytes arrive.
///
/// Lines end in LF or CRLF; `data:` lines of one event are joined with a newline; comments
/// (`:` lines) and other fields are ignored; an event ends at a blank line. Bytes are decoded
/// only once a line is complete, so a character split across buffers is never mangled.
struct ServerSentEventParser {
    private var line: [UInt8] = []
    private var data: [String] = []

    /// Adds bytes; returns the data of every event they complete.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var events: [String] = []
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                continue
            }
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let event = take(line) { events.append(event) }
            line.removeAll(keepingCapacity: true)
        }
        return events
    }

    /// The data of an event the body ended in without a blank line, if any.
    mutating func finish() -> String? {
        if !line.isEmpty {
            _ = take(line)
            line.removeAll()
        }
        return take([])
    }

    private mutating func take(_ line: [UInt8]) -> String? {
        if line.isEmpty {
            guard !data.isEmpty else { return nil }
            defer { data.removeAll() }
            return data.joined(separator: "\n")
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("data:") else { return nil }
        var value = text.dropFirst(5)
        if value.first == " " { value = value.dropFirst() }
        data.append(String(value))
        return nil
    }
}
