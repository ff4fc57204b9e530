import Foundation
import Model
import TestSupport
import Testing

@Suite struct HelpTests {
    @Test func rootHelpListsTheCommands() throws {
        let output = try Annotate.run(["--help"])
        #expect(output.status == 0)
        #expect(output.stdout == """
            OVERVIEW: Find candidate transcription-factor binding sites with a small
            convolutional network.

            USAGE: annotate <subcommand>

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

            SUBCOMMANDS:
              scan                    Slide windows along every FASTA record on both
                                      strands and write candidate sites as BED.
              train                   Train a model on labelled sequences and report its
                                      test-split AUC, AUPRC and accuracy.
              evaluate                Score labelled sequences with a model and report AUC,
                                      AUPRC and accuracy.
              predict                 Print id<TAB>probability for each sequence, in input
                                      order.
              explain                 Show why each sequence scored what it did: deletion
                                      saliency, in-silico mutagenesis and gradient × input.
              motifs                  Read out the motifs the first-layer filters learned,
                                      ranked by importance, as MEME motifs.
              index                   Index a FASTA file for random access, as samtools
                                      faidx does.
              fetch                   Print regions of an indexed FASTA file, as samtools
                                      faidx does.
              background              Write the background a scan's p-values are measured
                                      against, for scans of shards or regions.
              merge                   Join the outputs of scans of shards into the output
                                      of one scan of the whole genome.
              variants                Score each VCF variant's effect on sites: the best
                                      window with REF against the best with ALT.

              See 'annotate help <subcommand>' for detailed help.

            """)
    }

    @Test func trainHelpDescribesTheRecipes() throws {
        let output = try Annotate.run(["train", "--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("""
              default   made for genome scans, where a site is one window among
                        about 10^5 of background, and for any TF's sites,
            """))
        #expect(output.stdout.contains("""
              --mining-rounds <mining-rounds>
                                      Rounds of hard-negative mining, spread over the
                                      epochs (default: 8 for global and seed, else 0).
            """))
        #expect(output.stdout.contains("notebook  the notebook exactly: MSE, batch 10, 10 epochs, Adam."))
        #expect(output.stdout.contains("""
              --recipe <recipe>       Training recipe (see above). (values: default,
                                      notebook; default: default)
            """))
    }
}

@Suite struct PredictTests {
    @Test func plainLinesAndFastaGiveIdsInInputOrder() throws {
        let a = String(repeating: "ACGT", count: 12) + "AC", b = String(repeating: "T", count: 50)
        let plain = try Annotate.run(["predict", "-"], stdin: Data("\(a)\n\n\(b)\n".utf8))
        #expect(plain.status == 0, "\(plain.stderr)")
        let plainRows = plain.stdout.split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(plainRows.map { String($0[0]) } == ["1", "3"])
        let fasta = try Annotate.run(["predict"], stdin: Data(">x some description\n\(a.prefix(20))\n\(a.dropFirst(20))\n>y\n\(b)\n".utf8))
        let fastaRows = fasta.stdout.split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(fastaRows.map { String($0[0]) } == ["x", "y"])
        #expect(fastaRows.map { $0[1] } == plainRows.map { $0[1] })
        // The probabilities are the built-in model's.
        let network = try Network.builtin()
        let expected = network.predict(oneHot: Nucleotide.oneHot([Array(a.utf8), Array(b.utf8)]), count: 2)
        for (row, p) in zip(fastaRows, expected) {
            #expect(abs((Double(row[1]) ?? -1) - Double(p)) < 1e-6)
        }
    }

    @Test func wrongLengthIsNamed() throws {
        let output = try Annotate.run(["predict", "-"], stdin: Data(">ok\n\(String(repeating: "A", count: 50))\n>short\nACGT\n".utf8))
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "annotate predict: stdin: line 3: sequence short has 4 bases; expected 50\n")
    }

    @Test func missingModelFileIsOneLine() throws {
        let output = try Annotate.run(["predict", "--model", "/nonexistent/model.json", "-"], stdin: Data())
        #expect(output.status == 1)
        #expect(output.stderr == "annotate predict: /nonexistent/model.json: cannot open: No such file or directory\n")
    }

    @Test func truncatedModelFileIsOneLine() throws {
        let directory = try Scratch.directory()
        let path = directory.appendingPathComponent("cut.json").path
        let text = try Network.builtin().modelFileText()
        try Data(text.utf8.prefix(5000)).write(to: URL(fileURLWithPath: path))
        let output = try Annotate.run(["predict", "--model", path, "-"], stdin: Data())
        #expect(output.status == 1)
        #expect(output.stderr == "annotate predict: \(path): the model file ends at byte 5000 in the middle of a value; it looks truncated\n")
    }
}

@Suite(.enabled(if: SeedData.isAvailable, SeedData.skipReason))
struct SeedDataCommandTests {
    /// predict's probabilities on the notebook's test indices give the AUC that evaluate reports.
    @Test func predictAgreesWithEvaluate() throws {
        let evaluate = try Annotate.run(["evaluate", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath, "--json"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stderr.contains("dropping line 1 as a header"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        let reportedAUC = try #require(document["auc"] as? Double)
        #expect(document["size"] as? Int == 500 && document["sequences"] as? Int == 500 && document["split"] as? String == "test")

        let predict = try Annotate.run(["predict", SeedData.sequencesPath])
        #expect(predict.status == 0)
        let scores = predict.stdout.split(separator: "\n").map { Float($0.split(separator: "\t")[1]) ?? -1 }
        #expect(scores.count == 2000)
        let labels = try String(contentsOfFile: SeedData.labelsPath, encoding: .utf8).split(separator: "\n").dropFirst().map { $0 == "1" }
        let test = NotebookSplit(count: 2000).test
        let auc = try #require(Metrics.rocAUC(scores: test.map { scores[$0] }, labels: test.map { labels[$0] }))
        #expect(abs(auc - reportedAUC) < 1e-9, "predict-derived auc \(auc) vs evaluate \(reportedAUC)")
        let builtinAUC = try #require(try Network.builtin().training?["test_auc"]?.doubleValue)
        #expect(abs(reportedAUC - builtinAUC) < 1e-12)
    }

    /// Labels that say nothing of the sequences (the seed data's labels, dealt out at random):
    /// the run fails in one line, and no model file appears.
    @Test func trainThatLearnsNothingSaysSoAndWritesNoModel() throws {
        let directory = try Scratch.directory()
        var random = MersenneTwister(seed: 11)
        let labels = directory.appendingPathComponent("random-labels.txt")
        try Data((0..<2000).map { _ in random.nextDouble() < 0.5 ? "0\n" : "1\n" }.joined().utf8).write(to: labels)
        let model = directory.appendingPathComponent("m.json").path
        let output = try Annotate.run(["train", "--sequences", SeedData.sequencesPath, "--labels", labels.path,
                                       "--recipe", "notebook", "--epochs", "2", "--quiet", "-o", model])
        #expect(output.status == 1)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("annotate train: training failed: the model ") == true, "\(output.stderr)")
        #expect(output.stderr.hasSuffix("; no model written\n"))
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    @Test func trainWritesModelAndMetrics() throws {
        let directory = try Scratch.directory()
        let model = directory.appendingPathComponent("m.json").path, metrics = directory.appendingPathComponent("metrics.json").path
        let train = try Annotate.run(["train", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath,
                                      "--recipe", "notebook", "--epochs", "2", "--seed", "3", "-o", model, "--metrics-json", metrics])
        #expect(train.status == 0, "\(train.stderr)")
        let epochLines = train.stderr.split(separator: "\n").filter { $0.hasPrefix("Epoch ") }
        #expect(epochLines.count == 2)
        #expect(epochLines.first?.contains(" - loss: ") == true && epochLines.first?.contains(" - val_accuracy: ") == true)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: metrics))) as? [String: Any])
        #expect(document["test_size"] as? Int == 500 && document["sequences"] as? Int == 500 && document["split"] as? String == "test")
        for key in ["auc", "auprc", "accuracy"] { #expect(document[key] is Double, "\(key)") }
        let evaluate = try Annotate.run(["evaluate", "--model", model, "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath, "--json"])
        let evaluated = try #require(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        #expect(evaluated["auc"] as? Double == document["auc"] as? Double)
    }

    @Test func labelCountMismatchIsOneLine() throws {
        let directory = try Scratch.directory()
        let labels = directory.appendingPathComponent("labels.txt")
        try Data("0\n1\n".utf8).write(to: labels)
        let output = try Annotate.run(["train", "--sequences", SeedData.sequencesPath, "--labels", labels.path,
                                       "-o", directory.appendingPathComponent("m.json").path])
        #expect(output.status == 1)
        #expect(output.stderr == "annotate train: \(SeedData.sequencesPath) has 2000 sequences but \(labels.path) has 2 labels; give one 0/1 label per sequence\n")
    }

    /// `train` without `-o` is refused before any training (the model would be lost); with
    /// `-o -` and `motifs -o -`, stdout holds the model or the MEME file alone.
    @Test func stdoutHoldsTheArtefactAlone() throws {
        let lost = try Annotate.run(["train", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath])
        #expect(lost.status == 2 && lost.stderr.contains("give -o FILE for the model"), "\(lost.stderr)")
        let train = try Annotate.run(["train", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath,
                                      "--recipe", "notebook", "--epochs", "1", "--quiet", "-o", "-"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.hasPrefix("{") && !train.stdout.contains("test: auc"))
        #expect(train.stderr.contains("test: auc"))
        let model = try Scratch.file(Array(train.stdout.utf8), name: "m.json")
        let motifs = try Annotate.run(["motifs", "--model", model, "--sequences", SeedData.sequencesPath, "-o", "-"])
        #expect(motifs.status == 0, "\(motifs.stderr)")
        #expect(motifs.stdout.hasPrefix("MEME version") && !motifs.stdout.contains("consensus\tinformation_bits"))
        #expect(motifs.stderr.contains("consensus\tinformation_bits"))
    }

    /// `--version` names the program and version, what the build needs, and the built-in
    /// model by its shape and fingerprint, from the root and from a subcommand.
    @Test func versionNamesTheBuildAndTheBuiltInModel() throws {
        let fingerprint = try Network.builtin().fingerprint
        for arguments in [["--version"], ["scan", "--version"]] {
            let result = try Annotate.run(arguments)
            let lines = result.stdout.split(separator: "\n")
            #expect(result.status == 0 && lines.count == 3, "\(arguments): \(result.stdout)")
            #expect(lines.first == "annotate 0.1.0" && lines.dropFirst().first?.hasPrefix("build: ") == true)
            #expect(lines.last == "built-in model: global, 32 filters of width 12, 50-bp windows, SHA-256 \(fingerprint)")
        }
    }
}

