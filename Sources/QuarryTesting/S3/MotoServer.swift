import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real S3 API for tests: moto's `moto_server` (from the project's `.venv`) on a free
/// 127.0.0.1 port.
///
/// The server runs under a small Python watchdog that stops it when this test process goes away
/// (its parent changes), when `lifetime` runs out, or when it is told to stop; ``stop()`` and
/// `deinit` stop it too. So a crashed or killed test run cannot leave it behind.
///
/// ```swift
/// let moto = try await MotoServer.start()
/// defer { moto.stop() }
/// let endpoint = moto.endpoint  // "http://127.0.0.1:PORT"
/// ```
// @unchecked Sendable: `process` and `stopped` are only touched in `stop()` under `lock`
// (`waitUntilReady` reads `process.isRunning` before the server is handed out).
public final class MotoServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    /// The port.
    public let port: Int
    private let process: Process
    private let lock = NSLock()
    private var stopped = false
    private let logDirectory: TemporaryDirectory

    /// The `moto_server` of the project's virtual environment.
    public static var executable: String { SampleCorpus.repositoryRoot + "/.venv/bin/moto_server" }

    /// Starts a server and waits until it answers.
    ///
    /// - Parameters:
    ///   - lifetime: the watchdog stops the server after this long whatever happens.
    ///   - startupTimeout: how long to wait for the first answer.
    ///   - environment: variables for moto_server, such as `INITIAL_NO_AUTH_ACTION_COUNT` (after
    ///     that many requests, moto checks signatures and IAM permissions).
    /// - Throws: ``TestProcessError`` when `moto_server` is missing (run `scripts/setup.sh`) or does not come up.
    public static func start(
        lifetime: Duration = .seconds(300),
        startupTimeout: Duration = .seconds(60),
        environment: [String: String] = [:]
    ) async throws -> MotoServer {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestProcessError(description: "\(executable) is missing; run scripts/setup.sh")
        }
        var lastFailure = "no attempt"
        for _ in 0..<3 {
            let port = try freePort()
            let server = try MotoServer(port: port, lifetime: lifetime, environment: environment)
            if try await server.waitUntilReady(timeout: startupTimeout) { return server }
            lastFailure = server.log()
            server.stop()
        }
        throw TestProcessError(description: "moto_server did not start: \(lastFailure.suffix(2000))")
    }

    private init(port: Int, lifetime: Duration, environment extra: [String: String]) throws {
        self.port = port
        self.endpoint = "http://127.0.0.1:\(port)"
        self.logDirectory = try TemporaryDirectory(prefix: "quarry-moto")
        let logPath = logDirectory.file("moto.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestProcess.venvPython)
        process.arguments = [
            "-c", Self.watchdog, Self.executable, String(port), String(lifetime.components.seconds),
        ]
        process.standardInput = FileHandle.nullDevice
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        try process.run()
        self.process = process
    }

    deinit {
        stop()
    }

    /// Stops the server (and its watchdog) and waits for them; safe to call more than once.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            process.terminate()  // SIGTERM: the watchdog stops moto_server, then exits
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// What the server wrote (requests and errors), for failure messages.
    public func log() -> String {
        String(decoding: FileManager.default.contents(atPath: logDirectory.file("moto.log")) ?? Data(), as: UTF8.self)
    }

    private func waitUntilReady(timeout: Duration) async throws -> Bool {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < timeout {
            guard process.isRunning else { return false }
            if Self.answers(port: port) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Whether an HTTP request to the port gets an HTTP answer.
    private static func answers(port: Int) -> Bool {
        let socket = LoopbackSocket.make()
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        let request = Array("GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(socket, request, request.count, LoopbackSocket.sendFlags) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 16)
        let received = recv(socket, &buffer, buffer.count, 0)
        return received > 5 && buffer.starts(with: Array("HTTP/".utf8))
    }

    /// A port the kernel just handed out on 127.0.0.1 (free unless someone takes it first).
    public static func freePort() throws -> Int {
        let socket = LoopbackSocket.make()
        guard socket >= 0 else { throw TestProcessError(description: "socket() failed") }
        defer { close(socket) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestProcessError(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Runs moto_server and stops it when the parent (this test process) changes, when the
    /// lifetime runs out, or on SIGTERM.
    private static let watchdog = """
        import ctypes, os, signal, subprocess, sys, time
        # A test runner may start us with SIGTERM blocked or ignored, and both would pass on to moto_server.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        executable, port, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
        parent = os.getppid()
        def die_with_watchdog():
            if sys.platform.startswith("linux"):
                ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: killed if this watchdog dies
        server = subprocess.Popen(
            [executable, "-H", "127.0.0.1", "-p", port], stdin=subprocess.DEVNULL, preexec_fn=die_with_watchdog
        )
        def stop(*_):
            server.terminate()
            try:
                server.wait(timeout=3)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        deadline = time.monotonic() + lifetime
        while server.poll() is None:
            if os.getppid() != parent or time.monotonic() > deadline:
                stop()
            time.sleep(0.2)
        sys.exit(server.returncode)
        """
}
