#!/usr/bin/env python3
"""Dev check: reads a MEME file written by `annotate motifs -o` with Biopython's independent
MEME-minimal reader and prints each motif's name, width, nsites and consensus.

  pip install biopython
  python3 scripts/check_meme.py motifs.meme [--expect-width 12]

Exits non-zero if Biopython cannot parse the file, a matrix row does not sum to 1, or a
width differs from --expect-width.
"""
import argparse
import sys

from Bio import motifs

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("meme")
ap.add_argument("--expect-width", type=int)
A = ap.parse_args()

with open(A.meme) as handle:
    record = motifs.parse(handle, "minimal")
problems = 0
for m in record:
    columns = [sum(m.pwm[b][i] for b in "ACGT") for i in range(m.length)]
    ok = all(abs(c - 1) < 1e-4 for c in columns) and (A.expect_width is None or m.length == A.expect_width)
    problems += not ok
    print(f"{m.name}\tw={m.length}\tnsites={m.num_occurrences}\t{m.consensus}\t{'ok' if ok else 'BAD'}")
print(f"{len(record)} motifs, alphabet {record.alphabet}, background {dict(record.background)}")
sys.exit(1 if problems or not len(record) else 0)
