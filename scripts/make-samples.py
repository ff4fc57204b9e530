#!/usr/bin/env python3
"""Generates samples/: a small demo genome with known sites (BGZF, as bgzip writes it, so that
annotate index, fetch, variants and --region through an index take it as it is; any gzip
reader reads it too), and their truth BED.

  python3 scripts/make-samples.py      (writes samples/demo.fa.gz and samples/demo.truth.bed)

Three records (about 1 Mbp in all) of uniform random bases, seeded, so the output is the
same on every run. The trained PU.1/ETS-like site AAAGAGGAAGTT is planted on both strands
(reverse-complemented for -), with a few N runs and soft-masked (lowercase) stretches;
one planted site lies inside a soft-masked stretch. Planted sites stay at least 60 bp from
N runs and from each other. The truth BED (0-based, half-open) lists every planted site
with the site in the name column. Standard library only.
"""
import os
import random
import struct
import zlib

SITE = "AAAGAGGAAGTT"
COMPLEMENT = str.maketrans("ACGTacgt", "TGCAtgca")
RECORDS = [("chr1", 500_000, 24), ("chr2", 350_000, 16), ("chrM_demo", 150_000, 8)]
LINE = 60


def main():
    rng = random.Random(20261124)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")
    os.makedirs(here, exist_ok=True)
    fasta, truth = [], []
    for name, length, sites in RECORDS:
        seq = [rng.choice("ACGT") for _ in range(length)]
        blocked = []  # (start, end) spans a site must keep 60 bp away from
        for _ in range(3):  # N runs of 5 to 2,000 bases
            run = rng.choice([5, 50, 2000])
            start = rng.randrange(1000, length - 3000)
            seq[start:start + run] = ["N"] * run
            blocked.append((start, start + run))
        masked = []
        for _ in range(4):  # soft-masked stretches of 3 kbp
            start = rng.randrange(1000, length - 4000)
            masked.append((start, start + 3000))
        placed = []
        while len(placed) < sites:
            start = rng.randrange(100, length - 100)
            end = start + len(SITE)
            if any(start < b + 60 and end > a - 60 for a, b in blocked + [(p, p + len(SITE)) for p, _ in placed]):
                continue
            strand = "+" if len(placed) % 2 == 0 else "-"
            placed.append((start, strand))
        # One site inside the first soft-masked stretch (if it is clear of N runs).
        a, b = masked[0]
        mid = (a + b) // 2
        if not any(mid < y + 60 and mid + len(SITE) > x - 60 for x, y in blocked + [(p, p + len(SITE)) for p, _ in placed]):
            placed.append((mid, "-"))
        for start, strand in placed:
            site = SITE if strand == "+" else SITE.translate(COMPLEMENT)[::-1]
            seq[start:start + len(SITE)] = list(site)
        for a, b in masked:
            seq[a:b] = [c.lower() for c in seq[a:b]]
        text = "".join(seq)
        fasta.append(f">{name} demo record, seed 20261124\n")
        fasta += [text[i:i + LINE] + "\n" for i in range(0, len(text), LINE)]
        for start, strand in sorted(placed):
            truth.append(f"{name}\t{start}\t{start + len(SITE)}\t{SITE}\t0\t{strand}\n")
    with open(os.path.join(here, "demo.fa.gz"), "wb") as raw:
        raw.write(bgzf("".join(fasta).encode()))
    with open(os.path.join(here, "demo.truth.bed"), "w") as f:
        f.writelines(truth)


def bgzf(data):
    """BGZF as htslib writes it: gzip members of at most 0xff00 input bytes, each with the BC
    extra field holding its size less one, then the 28-byte empty end-of-file member."""
    out = bytearray()
    for start in range(0, len(data), 0xff00):
        chunk = data[start:start + 0xff00]
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = deflate.compress(chunk) + deflate.flush()
        size = 18 + len(body) + 8
        out += bytes([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, ord("B"), ord("C"), 2, 0])
        out += struct.pack("<H", size - 1) + body + struct.pack("<II", zlib.crc32(chunk), len(chunk))
    out += bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
    return bytes(out)


if __name__ == "__main__":
    main()
