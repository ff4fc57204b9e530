#!/usr/bin/env python3
"""Scans a gzip FASTA with MOODS for one JASPAR matrix on both strands: bench/run.sh's
PWM-scanner row (MOODS: Korhonen et al. 2017, moods-python from PyPI; the matrix from
pyjaspar, offline).

  python3 bench/moods_scan.py GENOME.fa.gz [--matrix MA0080.5] [--p 1e-4]

Reads the FASTA as a user's script would (gzip, every record in turn), scans each record
with MOODS's Scanner for the matrix and its reverse complement (log-odds against a uniform
background, pseudocount 0.01 per base as MOODS's tools do), at the score threshold of
p-value --p, and prints one JSON object: the matrix, bases, hits, and seconds spent scanning
(reading excluded). Whole-process wall time, start-up included, is what bench/run.sh
measures; it also times this script on a 56-bp input to take start-up out.
"""
import argparse
import gzip
import json
import sys
import time

import MOODS.scan
import MOODS.tools
from pyjaspar import jaspardb


def records(path):
    name, chunks = None, []
    with gzip.open(path, "rt") as handle:
        for line in handle:
            if line.startswith(">"):
                if name is not None:
                    yield name, "".join(chunks)
                name, chunks = line[1:].split()[0], []
            else:
                chunks.append(line.strip())
    if name is not None:
        yield name, "".join(chunks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("genome")
    parser.add_argument("--matrix", default="MA0080.5")
    parser.add_argument("--p", type=float, default=1e-4)
    args = parser.parse_args()

    motif = jaspardb(release="JASPAR2024").fetch_motif_by_id(args.matrix)
    counts = [[float(c) for c in motif.counts[base]] for base in "ACGT"]
    background = [0.25] * 4
    forward = MOODS.tools.log_odds(counts, background, 0.01)
    reverse = MOODS.tools.reverse_complement(forward)
    threshold = MOODS.tools.threshold_from_p(forward, background, args.p)
    scanner = MOODS.scan.Scanner(7)
    scanner.set_motifs([forward, reverse], background, [threshold, threshold])

    bases = hits = 0
    scanning = 0.0
    for _, sequence in records(args.genome):
        started = time.perf_counter()
        results = scanner.scan(sequence)
        scanning += time.perf_counter() - started
        bases += len(sequence)
        hits += sum(len(r) for r in results)
    json.dump({"matrix": f"{motif.matrix_id} {motif.name}", "width": len(forward[0]), "p": args.p,
               "threshold": threshold, "bases": bases, "hits": hits, "scan_seconds": scanning}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
