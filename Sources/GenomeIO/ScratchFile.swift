#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import BrowserFormats

/// A temporary file for what a scan holds until its end (a copy of stdin, the candidate
/// regions): made with `mkstemp` in `$TMPDIR` (or /tmp) and unlinked at once, so it goes
/// away with the process however the process ends.
package final class ScratchFile {
    let descriptor: Int32
    /// What the file holds, for messages.
    let purpose: String
    private var buffer: [UInt8] = []
    package private(set) var size = 0

    package init(purpose: String) throws(GenomeIOError) {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/annotate-\(purpose.split(separator: " ").joined(separator: "-"))-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else {
            throw .writeFailed(path: directory, reason: "cannot make a temporary file for the \(purpose) there (\(ByteStream.errnoText())); set TMPDIR to a writable directory")
        }
        template.withUnsafeBufferPointer { if let path = $0.baseAddress { unlink(path) } }
        descriptor = fd
        self.purpose = purpose
    }

    deinit { close(descriptor) }

    package func append(_ bytes: UnsafeRawBufferPointer) throws(GenomeIOError) {
        buffer.append(contentsOf: bytes)
        size += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws(GenomeIOError) {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { bytes in bytes.baseAddress.map { write(descriptor, $0 + done, bytes.count - done) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: "temporary file for the \(purpose)", reason: ByteStream.errnoText())
            }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and moves back to the start, for reading.
    package func rewind() throws(GenomeIOError) {
        try flush()
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw .readFailed(path: "temporary file for the \(purpose)", reason: ByteStream.errnoText())
        }
    }

    /// Reads up to `buffer.count` bytes from the current position; 0 at the end.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(GenomeIOError) -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw .readFailed(path: "temporary file for the \(purpose)", reason: ByteStream.errnoText()) }
        }
    }
}

/// A scratch file holds a bigWig's zoom levels until the end.
extension ScratchFile: SpillStorage {
    package func append(_ bytes: [UInt8]) throws {
        buffer += bytes
        size += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    package func readBack(_ body: ([UInt8]) throws -> Void) throws {
        try rewind()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { raw in Glibc.read(descriptor, raw.baseAddress, raw.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw GenomeIOError.readFailed(path: "temporary file for the \(purpose)", reason: ByteStream.errnoText())
            }
            if n == 0 { return }
            try body(Array(chunk[0..<n]))
        }
    }
}
