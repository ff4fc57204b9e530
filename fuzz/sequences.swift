// libFuzzer harness for the training-data readers: SequenceText.parse(_:path:length:)
// (plain lines, FASTA, sequence<TAB>label lines; LF, CRLF and lone CR) and
// LabelledSequences(sequences:sequencesPath:labels:labelsPath:length:). Compiled into the
// Model module's own sources (scripts/fuzz.sh sequences), so internal API is reachable.
//
// The input is split at its first 0xFF byte into a sequences file and a labels file;
// without a 0xFF it is a sequences file alone, whose lines must carry their labels.
// Thrown ModelErrors are expected. What parses must keep the promises the parsers make:
// every record non-empty, of one length, only A/C/G/T in either case; parsing again with
// that length gives the same records and with another length fails; one label per record;
// the one-hot encoding and the notebook split have the right sizes. A trap, an ASan
// report, a leak, a hang or a broken promise is a bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let sequences: [UInt8], labels: [UInt8]?
    if let cut = bytes.firstIndex(of: 0xFF) {
        sequences = Array(bytes[..<cut])
        labels = Array(bytes[(cut + 1)...])
    } else {
        (sequences, labels) = (bytes, nil)
    }

    if let records = try? SequenceText.parse(sequences, path: "seq.txt") {
        let length = records.first?.bases.count ?? 0
        for record in records {
            precondition(record.bases.count == length && length > 0, "record \(record.id) has \(record.bases.count) bases, not \(length)")
            precondition(record.bases.allSatisfy { Nucleotide.code[Int($0)] < 4 }, "record \(record.id) has a non-ACGT byte")
            precondition(record.line >= 1 && !record.id.isEmpty, "record \(record.id) line \(record.line)")
        }
        if !records.isEmpty {
            let same = try? SequenceText.parse(sequences, path: "seq.txt", length: length)
            precondition(same == records, "parsing with length \(length) changed the records")
            precondition((try? SequenceText.parse(sequences, path: "seq.txt", length: length + 1)) == nil,
                         "records of length \(length) passed as length \(length + 1)")
            let oneHot = Nucleotide.oneHot(records.map(\.bases))
            precondition(oneHot.count == records.count * length * 4, "one-hot size")
            precondition(oneHot.reduce(0, +) == Float(records.count * length), "one-hot rows are not all one-hot")
        }
    }

    do throws(ModelError) {
        let data = try LabelledSequences(sequences: sequences, sequencesPath: "seq.txt", labels: labels,
                                         labelsPath: labels == nil ? nil : "labels.txt")
        precondition(data.labels.count == data.records.count, "\(data.labels.count) labels for \(data.count) records")
        if labels == nil {
            precondition(data.records.allSatisfy { $0.label != nil }, "a record without a label was accepted")
        }
        precondition(data.sha256.utf8.count == 64, "sha256 \(data.sha256)")
        let split = NotebookSplit(count: data.count)
        precondition((split.test + split.train).sorted() == Array(0..<data.count), "the split is not a permutation")
        let subset = data.subset(split.train)
        precondition(subset.count == split.train.count, "subset size")
    } catch {
        _ = error.description
    }
    return 0
}
