import Foundation

extension ScriptedHTTPServer.Response {
    /// An OpenAI-compatible `/v1/chat/completions` streamed reply: one `chat.completion.chunk`
    /// event per piece, then `[DONE]`, as OpenAI, vLLM and llama.cpp's server send it.
    public static func chatCompletionStream(_ pieces: [String]) -> Self {
        var body = ""
        for (index, piece) in pieces.enumerated() {
            let chunk: [String: Any] = [
                "id": "chatcmpl-test", "object": "chat.completion.chunk", "model": "test-model",
                "choices": [
                    [
                        "index": 0, "delta": index == 0 ? ["role": "assistant", "content": piece] : ["content": piece],
                        "finish_reason": NSNull(),
                    ] as [String: Any]
                ],
            ]
            let json = String(decoding: try! JSONSerialization.data(withJSONObject: chunk), as: UTF8.self)
            body += "data: \(json)\n\n"
        }
        body +=
            #"data: {"id":"chatcmpl-test","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
        body += "\n\ndata: [DONE]\n\n"
        return .init(status: 200, headers: [("Content-Type", "text/event-stream")], body: body)
    }

    /// A reply of the whole text at once (`"stream": false` servers), as one JSON object.
    public static func chatCompletion(_ text: String) -> Self {
        let object: [String: Any] = [
            "id": "chatcmpl-test", "object": "chat.completion", "model": "test-model",
            "choices": [["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]],
        ]
        let json = String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        return .init(status: 200, headers: [("Content-Type", "application/json")], body: json)
    }
}

extension ScriptedHTTPServer.Request {
    /// The chat messages of a `/v1/chat/completions` request, as (role, content) pairs.
    public var chatMessages: [(role: String, content: String)] {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let messages = object["messages"] as? [[String: Any]]
        else { return [] }
        return messages.map { ($0["role"] as? String ?? "", $0["content"] as? String ?? "") }
    }
}
