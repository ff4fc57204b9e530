#!/usr/bin/env python3
"""Writes the labelled sets and planted genomes of the generality benchmark (bench/generality.sh).

  python bench/generality_data.py --background UNPLANTED.fa.gz --out DIR --seed N
                                  [--release JASPAR2024] [--sites 500] ID [ID ...]

For each JASPAR matrix ID (with version, e.g. MA0139.1), DIR/ID/ gets:

  matrix.json    the matrix: ID, name, width, release, the column probabilities (the JASPAR
                 counts normalised per column, no pseudocount: what sites are sampled from),
                 information content in bits (sum over columns of sum_b p_b log2(p_b / 0.25),
                 0 log 0 = 0), consensus, number of sites behind the counts
  ID.meme        the same probabilities in MEME minimal motif format (uniform background)
  set.tsv        2000 sequence<TAB>label lines: 1000 uniform-random 50-mers with one site
                 sampled from the matrix (each column's base drawn from its probabilities) at
                 a uniformly random offset, reverse-complemented with probability 1/2, label 1;
                 1000 uniform-random 50-mers, label 0; shuffled together
  planted.fa.gz  the background genome with --sites fresh sites sampled from the matrix (half
                 per strand; a - strand site is written reverse-complemented) at random
                 positions, at least 60 bp from each other and from any N; a planted base keeps
                 the case of the background base it replaces. Same records, 60-column lines,
                 gzip with mtime 0 and no file name
  sites.bed      the planted sites (BED6, 0-based half-open, in genome order; name = the site
                 as read on its strand, score 0)
  done           written last; a directory without it is incomplete and is rewritten

Random numbers: numpy's default generator seeded with (seed, the first 32 bits of
sha256(ID), stream), stream 0 for the labelled set and 1 for the genome's sites, so a
matrix's data do not depend on which other matrices are made. Deterministic: the same
arguments and background give the same bytes.
"""
import argparse
import bisect
import gzip
import hashlib
import json
import os
import shutil
import sys
import time

import numpy as np

BASES = "ACGT"
SET_LENGTH = 50
SET_SIZE = 1000  # positives, and as many negatives
GAP = 60  # bases between two planted sites, and between a site and an N
COMPLEMENT = bytes.maketrans(b"ACGTacgtNn", b"TGCAtgcaNn")


def revcomp(s: bytes) -> bytes:
    return s.translate(COMPLEMENT)[::-1]


def load_matrix(jdb, matrix_id, release):
    motif = jdb.fetch_motif_by_id(matrix_id)
    if motif is None:
        sys.exit(f"generality_data.py: no JASPAR matrix {matrix_id} in {release}")
    counts = np.array([[float(motif.counts[b][i]) for b in BASES] for i in range(motif.length)])
    probs = counts / counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(probs > 0, probs * np.log2(probs / 0.25), 0.0)
    return {
        "id": matrix_id, "name": motif.name, "release": release,
        "collection": motif.collection, "tax_group": motif.tax_group,
        "width": int(motif.length), "sites_behind_counts": round(float(counts[0].sum()), 3),
        "consensus": "".join(BASES[j] for j in probs.argmax(axis=1)),
        "information_content_bits": round(float(terms.sum()), 4),
        "probabilities": probs.tolist(),  # rows = columns of the motif, in A C G T order
    }


def meme(matrix):
    lines = ["MEME version 4", "", "ALPHABET= ACGT", "", "strands: + -", "",
             "Background letter frequencies", "A 0.25 C 0.25 G 0.25 T 0.25", "",
             f"MOTIF {matrix['id']} {matrix['name']}",
             f"letter-probability matrix: alength= 4 w= {matrix['width']} "
             f"nsites= {max(1, round(matrix['sites_behind_counts']))} E= 0"]
    lines += [" " + "  ".join(f"{p:.6f}" for p in row) for row in matrix["probabilities"]]
    return "\n".join(lines) + "\n\n"


def sample_sites(rng, probs, n):
    """n sites as code arrays (n, width), each column's base drawn from its probabilities."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random((n, probs.shape[0]))
    return np.minimum((u[:, :, None] >= cum[None, :, :3]).sum(axis=2), 3)


def as_text(codes):
    return np.frombuffer(b"ACGT", dtype=np.uint8)[codes].tobytes()


def labelled_set(rng, probs):
    width = probs.shape[0]
    positives = rng.integers(0, 4, size=(SET_SIZE, SET_LENGTH))
    sites = sample_sites(rng, probs, SET_SIZE)
    offsets = rng.integers(0, SET_LENGTH - width + 1, size=SET_SIZE)
    flip = rng.random(SET_SIZE) < 0.5
    for i in range(SET_SIZE):
        site = sites[i][::-1] ^ 3 if flip[i] else sites[i]  # A0 C1 G2 T3: complement = 3 - x = x ^ 3
        positives[i, offsets[i]:offsets[i] + width] = site
    negatives = rng.integers(0, 4, size=(SET_SIZE, SET_LENGTH))
    rows = [(as_text(s).decode(), 1) for s in positives] + [(as_text(s).decode(), 0) for s in negatives]
    order = rng.permutation(len(rows))
    return "".join(f"{rows[i][0]}\t{rows[i][1]}\n" for i in order)


def read_fasta_gz(path):
    names, seqs, parts = [], [], None
    with gzip.open(path, "rb") as f:
        for line in f:
            if line.startswith(b">"):
                if parts is not None:
                    seqs.append(bytearray(b"".join(parts)))
                names.append(line[1:].split()[0].decode())
                parts = []
            else:
                parts.append(line.strip())
    if parts is not None:
        seqs.append(bytearray(b"".join(parts)))
    return names, seqs


def write_fasta_gz(path, names, seqs):
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=6) as out:
        for name, seq in zip(names, seqs):
            out.write(f">{name}\n".encode())
            out.write(b"\n".join(seq[i:i + 60] for i in range(0, len(seq), 60)))
            out.write(b"\n")


def plant(rng, names, background, probs, n_sites):
    width = probs.shape[0]
    lengths = np.array([len(s) for s in background], dtype=float)
    strands = np.array(["+"] * (n_sites - n_sites // 2) + ["-"] * (n_sites // 2))
    rng.shuffle(strands)
    sites = sample_sites(rng, probs, n_sites)
    placed = [[] for _ in names]  # per record, sorted starts
    span = width + GAP
    features = [[] for _ in names]
    for k in range(n_sites):
        while True:
            r = int(rng.choice(len(names), p=lengths / lengths.sum()))
            hi = len(background[r]) - width - GAP
            if hi <= GAP:
                continue
            pos = int(rng.integers(GAP, hi + 1))
            i = bisect.bisect_left(placed[r], pos)
            if i < len(placed[r]) and placed[r][i] - pos < span:
                continue
            if i > 0 and pos - placed[r][i - 1] < span:
                continue
            if b"N" in background[r][pos - GAP:pos + width + GAP].upper():
                continue
            break
        word = as_text(sites[k])  # as read on its strand
        placed[r].insert(i, pos)
        features[r].insert(i, (pos, str(strands[k]), word))
    planted = [bytearray(s) for s in background]
    for r in range(len(names)):
        for pos, strand, word in features[r]:
            forward = word if strand == "+" else revcomp(word)
            old = background[r][pos:pos + width]
            planted[r][pos:pos + width] = bytes(b if o < 97 else b + 32 for b, o in zip(forward, old))
    # Checks: only the sites changed, each reads back as planted, cases kept.
    for r in range(len(names)):
        changed = np.flatnonzero(np.frombuffer(bytes(planted[r]), np.uint8) != np.frombuffer(bytes(background[r]), np.uint8))
        in_site = np.zeros(len(background[r]), bool)
        for pos, strand, word in features[r]:
            got = bytes(planted[r][pos:pos + width]).upper()
            assert (got if strand == "+" else revcomp(got)) == word
            assert all((p >= 97) == (o >= 97) for p, o in zip(planted[r][pos:pos + width], background[r][pos:pos + width]))
            in_site[pos:pos + width] = True
        assert in_site[changed].all(), f"{names[r]}: genome changed outside a site"
    bed = "".join(f"{names[r]}\t{pos}\t{pos + width}\t{word.decode()}\t0\t{strand}\n"
                  for r in range(len(names)) for pos, strand, word in features[r])
    return planted, bed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ids", nargs="+")
    ap.add_argument("--background", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--release", default="JASPAR2024")
    ap.add_argument("--sites", type=int, default=500)
    A = ap.parse_args()
    todo = [i for i in A.ids if not os.path.exists(os.path.join(A.out, i, "done"))]
    if not todo:
        return
    from pyjaspar import jaspardb  # imported only when something is to be made (it is slow)
    jdb = jaspardb(release=A.release)
    names, background = None, None
    for matrix_id in todo:
        started = time.monotonic()
        matrix = load_matrix(jdb, matrix_id, A.release)
        probs = np.array(matrix["probabilities"])
        if not 1 <= matrix["width"] <= SET_LENGTH:
            sys.exit(f"generality_data.py: {matrix_id} is {matrix['width']} bp; sites must fit in {SET_LENGTH} bp")
        stream = int(hashlib.sha256(matrix_id.encode()).hexdigest()[:8], 16)
        final = os.path.join(A.out, matrix_id)
        tmp = final + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        os.makedirs(tmp)
        with open(os.path.join(tmp, "matrix.json"), "w") as f:
            json.dump(matrix, f, indent=1)
            f.write("\n")
        with open(os.path.join(tmp, f"{matrix_id}.meme"), "w") as f:
            f.write(meme(matrix))
        with open(os.path.join(tmp, "set.tsv"), "w") as f:
            f.write(labelled_set(np.random.default_rng([A.seed, stream, 0]), probs))
        if background is None:
            names, background = read_fasta_gz(A.background)
        planted, bed = plant(np.random.default_rng([A.seed, stream, 1]), names, background, probs, A.sites)
        write_fasta_gz(os.path.join(tmp, "planted.fa.gz"), names, planted)
        with open(os.path.join(tmp, "sites.bed"), "w") as f:
            f.write(bed)
        with open(os.path.join(tmp, "done"), "w") as f:
            f.write(f"{time.monotonic() - started:.2f}\n")  # seconds it took
        os.rename(tmp, final)
        print(f"generality_data.py: {matrix_id} {matrix['name']} ({matrix['width']} bp, "
              f"{matrix['information_content_bits']:.2f} bits): set.tsv, planted.fa.gz, sites.bed in "
              f"{time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
