import GenomeIO
import Model

/// Where a scan reads one input: a path (or - for stdin), or the copy of stdin the
/// background pass kept.
enum InputSource {
    case path(String)
    case copy(ScratchFile, of: String)

    var name: String {
        switch self {
        case let .path(path): path == "-" ? "stdin" : path
        case let .copy(_, name): name
        }
    }

    func open() throws(GenomeIOError) -> ByteStream {
        switch self {
        case let .path(path): try ByteStream(path: path)
        case let .copy(file, name): try ByteStream(rereading: file, name: name)
        }
    }
}
