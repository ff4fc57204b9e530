#!/usr/bin/env python3
"""Pure-background genomes for the calibration benchmark: FASTA drawn from an order-3
Markov chain whose transition table is itself random (each context's next-base
distribution is a Dirichlet draw around a target G+C), so that the genome has strong,
arbitrary 4-mer structure and no planted site.

    make-background-genome.py --gc 0.35 --length 10000000 --seed 1 [--records 2] > bg.fa

It is built independently of annotate's null (which fits order-3 chains to 64-kbp blocks of
whatever it scans): the table here is drawn at random, not fitted to anything, and the
chain runs unbroken across block boundaries.
"""
import argparse
import sys

import numpy as np


def transition_table(gc, rng, concentration):
    base = np.array([(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2])
    table = rng.dirichlet(concentration * base, size=64)
    # Tilt towards the target G+C: iterate the chain's stationary composition and rescale.
    for _ in range(20):
        counts = np.full(64, 1 / 64)
        for _ in range(50):
            nxt = np.zeros(64)
            for ctx in range(64):
                for b in range(4):
                    nxt[((ctx << 2) | b) & 63] += counts[ctx] * table[ctx, b]
            counts = nxt
        composition = np.zeros(4)
        for ctx in range(64):
            composition[ctx & 3] += counts[ctx]
        table *= base / composition
        table /= table.sum(axis=1, keepdims=True)
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gc", type=float, required=True)
    parser.add_argument("--length", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--records", type=int, default=2)
    parser.add_argument("--concentration", type=float, default=8.0,
                        help="Dirichlet concentration: lower gives a more skewed chain")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    table = transition_table(args.gc, rng, args.concentration)
    cumulative = np.cumsum(table, axis=1)
    out = sys.stdout
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    per_record = args.length // args.records
    for r in range(args.records):
        n = per_record if r < args.records - 1 else args.length - per_record * (args.records - 1)
        u = rng.random(n)
        codes = np.empty(n, dtype=np.uint8)
        ctx = int(rng.integers(64))
        cum = cumulative.tolist()
        uu = u.tolist()
        for i in range(n):
            row = cum[ctx]
            x = uu[i]
            b = 0 if x < row[0] else (1 if x < row[1] else (2 if x < row[2] else 3))
            codes[i] = b
            ctx = ((ctx << 2) | b) & 63
        seq = letters[codes].tobytes().decode()
        out.write(f">bg{r + 1} gc={args.gc} seed={args.seed}\n")
        for i in range(0, n, 60):
            out.write(seq[i:i + 60] + "\n")


if __name__ == "__main__":
    main()
