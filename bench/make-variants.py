#!/usr/bin/env python3
"""Writes random SNVs on a FASTA as VCF to stdout, for benchmarks: deterministic.

  python3 bench/make-variants.py GENOME.fa COUNT [--seed N] [--indels FRACTION] [--loop]

Positions are drawn uniformly over the genome (ACGT bases only), sorted within each
chromosome; --indels makes that fraction 1-5 bp insertions and deletions. --loop repeats
the same set over and over (positions re-sorted per pass would cost memory) until COUNT
records are written: 10 million variants without holding them. Standard library only.
"""
import argparse
import random
import sys

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("fasta")
ap.add_argument("count", type=int)
ap.add_argument("--seed", type=int, default=20261202)
ap.add_argument("--indels", type=float, default=0.0)
ap.add_argument("--loop", action="store_true")
A = ap.parse_args()

records, name = {}, None
for line in open(A.fasta):
    line = line.strip()
    if line.startswith(">"):
        name = line[1:].split()[0]
        records[name] = []
    elif name:
        records[name].append(line)
records = {k: "".join(v) for k, v in records.items()}
rng = random.Random(A.seed)
total = sum(len(s) for s in records.values())
out = sys.stdout
out.write("##fileformat=VCFv4.2\n")
for k, s in records.items():
    out.write(f"##contig=<ID={k},length={len(s)}>\n")
out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
per_pass = min(A.count, 1_000_000) if A.loop else A.count
lines = []
for k, s in records.items():
    n = round(per_pass * len(s) / total)
    for p in sorted(rng.sample(range(len(s) - 10), min(n, len(s) - 10))):
        ref = s[p].upper()
        if ref not in "ACGT":
            continue
        if rng.random() < A.indels:
            if rng.random() < 0.5:
                ref = s[p:p + rng.randint(2, 6)].upper()
                alt = ref[0]
            else:
                alt = ref + "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 5)))
            if any(c not in "ACGT" for c in ref):
                continue
        else:
            alt = rng.choice([b for b in "ACGT" if b != ref])
        lines.append(f"{k}\t{p + 1}\t.\t{ref}\t{alt}\t.\t.\t.\n")
written = 0
while written < A.count:
    for line in lines:
        if written == A.count:
            break
        out.write(line)
        written += 1
    if not A.loop:
        break
