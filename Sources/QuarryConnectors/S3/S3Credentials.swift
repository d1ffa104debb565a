/// An access key for S3 (or any service signed with AWS Signature Version 4).
///
/// The secret and the session token never appear in ``description``, ``debugDescription`` or a
/// `Mirror` (so not in `dump`, string interpolation, logs or errors either); only the first four
/// characters of the access key id are shown, enough to tell two keys apart.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id (`AKIA…`), public but still only shown shortened.
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    public var sessionToken: String?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        let shown = accessKeyID.count > 8 ? String(accessKeyID.prefix(4)) + "…" : "…"
        let token = sessionToken == nil ? "" : ", sessionToken: <redacted>"
        return "S3Credentials(accessKeyID: \(shown), secretAccessKey: <redacted>\(token))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
