import BrowserFormats

/// An `OutputFile` as the bigWig and bigBed writers see it: appended to, and patched at the
/// end. It does not keep the file alive (a bigBed's file owns the writer that owns this).
package final class PatchedFile: PatchableOutput {
    unowned let file: OutputFile
    package private(set) var position = 0

    package init(_ file: OutputFile) { self.file = file }

    package func append(_ bytes: [UInt8]) throws {
        try file.writeRaw(bytes)
        position += bytes.count
    }

    package func patch(at offset: Int, _ bytes: [UInt8]) throws { try file.patch(at: offset, bytes) }

    /// Runs `body`, turning its errors into the scan's.
    package func run(_ body: () throws -> Void) throws(GenomeIOError) {
        do { try body() } catch let error as GenomeIOError { throw error } catch {
            throw .writeFailed(path: file.name, reason: "\(error)")
        }
    }
}
