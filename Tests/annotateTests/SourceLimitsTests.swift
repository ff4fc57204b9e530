import Foundation
import TestSupport
import Testing

/// The project's size limits: no source file over 400 lines and no function over 80, so
/// that every file and function can be read in one sitting.
@Suite struct SourceLimitsTests {
    static func swiftFiles() throws -> [URL] {
        var files: [URL] = []
        for folder in ["Sources", "Tests"] {
            let root = repository.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "swift" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// A line that starts a function, initializer or subscript body.
    static var declaration: some RegexComponent { #/^\s*(@\w+(\([^)]*\))?\s+)*((public|package|private|fileprivate|internal|static|class|mutating|nonmutating|override|final|nonisolated|convenience|required)\s+)*(func\s|init[(<?!]|deinit\b|subscript[(<])/# }

    /// The lines of the declaration starting at `first`, to its closing brace (braces in
    /// string literals and comments ignored).
    static func length(of lines: [Substring], from first: Int) -> Int {
        var depth = 0, opened = false
        for index in first..<lines.count {
            var inString = false, escaped = false, previous: Character = " "
            for c in lines[index] {
                defer { previous = c }
                if inString {
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                    continue
                }
                if c == "/" && previous == "/" { break }
                if c == "\"" { inString = true }
                if c == "{" { depth += 1; opened = true }
                if c == "}" { depth -= 1 }
            }
            if opened && depth <= 0 { return index - first + 1 }
        }
        return lines.count - first
    }

    /// Whether a line may start a declaration, before the slower regex decides.
    static func mayDeclare(_ line: Substring) -> Bool {
        line.contains("func ") || line.contains("init") || line.contains("subscript")
    }

    @Test func filesAndFunctionsStayShort() throws {
        let files = try SourceLimitsTests.swiftFiles()
        #expect(files.count > 20)
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let name = file.path.replacingOccurrences(of: repository.path + "/", with: "")
            #expect(lines.count <= 401, "\(name) has \(lines.count) lines (at most 400)")
            for (index, line) in lines.enumerated() where SourceLimitsTests.mayDeclare(line) && line.contains(SourceLimitsTests.declaration) {
                let length = SourceLimitsTests.length(of: lines, from: index)
                #expect(length <= 80, "\(name):\(index + 1): \(length)-line function (at most 80): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }
}
