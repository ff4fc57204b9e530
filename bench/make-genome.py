#!/usr/bin/env python3
"""Writes a random genome for benchmarks: gzipped FASTA, 60-column lines, fixed seed.

  python3 bench/make-genome.py OUT.fa.gz [--mbp 20] [--records 2] [--seed 20261125]
  python3 bench/make-genome.py OUT.fa --mbp 250 --records 1 --single-line   (plain text)

Uniform A/C/G/T, split into equal records named chr1, chr2, ...; the same arguments give
the same bytes. --single-line writes each record's sequence as one line (the reader's
worst case for line length). Standard library only.
"""
import argparse
import gzip
import random

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("out")
ap.add_argument("--mbp", type=float, default=20)
ap.add_argument("--records", type=int, default=2)
ap.add_argument("--seed", type=int, default=20261125)
ap.add_argument("--single-line", action="store_true")
A = ap.parse_args()

rng = random.Random(A.seed)
total = int(A.mbp * 1_000_000)
opener = gzip.open if A.out.endswith(".gz") else open
with opener(A.out, "wb") as out:
    for r in range(A.records):
        length = total // A.records + (1 if r < total % A.records else 0)
        out.write(f">chr{r + 1} random, seed {A.seed}\n".encode())
        column = 0
        left = length
        while left > 0:
            piece = min(left, 1 << 20)
            seq = "".join(rng.choices("ACGT", k=piece)).encode()
            left -= piece
            if A.single_line:
                out.write(seq)
                continue
            i = 0
            while i < len(seq):
                take = min(60 - column, len(seq) - i)
                out.write(seq[i:i + take])
                column += take
                i += take
                if column == 60:
                    out.write(b"\n")
                    column = 0
        if column or A.single_line:
            out.write(b"\n")
            column = 0
