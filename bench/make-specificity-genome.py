#!/usr/bin/env python3
"""Writes a synthetic genome with planted binding sites, for the specificity benchmark.

  python3 bench/make-specificity-genome.py OUTDIR [--mbp 12] [--records 6] [--seed 20261201]
                                           [--sites 500] [--near 500]

The site is the 12-mer AAAGAGGAAGTT as read on its strand (a - strand site is AACTTCCTCTTT
on the forward strand). OUTDIR gets:

  planted.fa.gz    gzipped FASTA, 60-column lines, records chr1..chrN of lengths in the
                   proportions N : N-1 : ... : 1 (3 : 2.5 : 2 : 1.5 : 1 : 0.5 for 6 records)
  unplanted.fa.gz  the same genome byte for byte, except that the planted exact sites hold
                   the background bases that were there before planting
  sites.bed        the planted exact sites, half on each strand (BED6, 0-based half-open,
                   sorted; name = the site as read on its strand)
  near1.bed        near-sites with exactly one mismatch to the site, planted in both genomes
  near2.bed        near-sites with exactly two mismatches, planted in both genomes
                   (name = the planted 12-mer as read on its strand)
  summary.json     what was generated: per-record length, GC, CpG and TpA observed/expected,
                   masked and N fractions, and the count of every kind of feature

Background, per record: a first-order Markov chain with the record's own GC content (spread
evenly over 35-65 % across records, in shuffled order), CpG at 25 % and TpA at 75 % of their
expected frequency (the repeats added next shift both slightly); then, per 10 kbp, about 3
homopolymer runs (6-30 bp, skewed short; A/T four times as likely as C/G), 2 short tandem
repeats (units of 2-6 bp, a third of them purine-only such as GA, GGA, GAA, AAG, GGAA;
10-60 bp; either strand) and 1 purine-rich stretch (20-80 bp, 90 % A/G; either strand); N
runs (2-4 per record, 50-5000 bp, plus one at the start of chr1 and one at the end of the
last record); and soft-masked (lowercase) stretches of 100-5000 bp covering ~20 % of each
record. Sites and near-sites go at random positions, at least 60 bp from each other and from
any N; a feature takes the case of the base at its start. Afterwards any exact occurrence of
the site (either strand, any case) other than a planted one is removed by mutating one base
outside the planted features, in both genomes, so the planted sites are the only exact sites
in planted.fa.gz and unplanted.fa.gz has none; this is checked before writing.

Deterministic: the same arguments give the same bytes (random.Random(seed) only, gzip with
mtime 0 and no file name). Standard library only.
"""
import argparse
import bisect
import gzip
import itertools
import json
import os
import re
import sys
import time

import random

SITE = "AAAGAGGAAGTT"
COMPLEMENT = bytes.maketrans(b"ACGTacgtNn", b"TGCAtgcaNn")
BASES = "ACGT"


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1] if isinstance(s, bytes) else revcomp(s.encode()).decode()


SITE_RC = revcomp(SITE)
EXACT = re.compile(f"{SITE}|{SITE_RC}".encode())
# Purine-only repeat units (real genomes are full of (GA)n, (GGA)n, (GAA)n, (GGAA)n, ...).
PURINE_UNITS = ["GA", "AG", "GGA", "GAA", "AAG", "AGG", "GGAA", "GAAA", "AAGG", "AGGA",
                "GAGA", "GGGA", "GGAAA", "GAAGA", "AAGAG", "GGAGGA", "GAAGAA", "AAAGAA"]
FEATURE_GAP = 60  # bases between any two planted features, and between a feature and an N


def markov_matrix(gc, cpg=0.25, tpa=0.75):
    """P[x][y] = P(next base y | base x) for a chain whose stationary composition is
    (A, C, G, T) = ((1-gc)/2, gc/2, gc/2, (1-gc)/2), with the dinucleotides CG and TA at
    exactly cpg and tpa times their expected frequency p(x) p(y); the other 14 pair
    frequencies are scaled (iterative proportional fitting) so that the pair table's row
    and column sums are the composition again."""
    p = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    fixed = {(1, 2): cpg, (3, 0): tpa}
    joint = [[p[x] * p[y] * fixed.get((x, y), 1.0) for y in range(4)] for x in range(4)]
    for _ in range(500):
        for x in range(4):
            free = [y for y in range(4) if (x, y) not in fixed]
            scale = (p[x] - sum(joint[x][y] for y in range(4) if (x, y) in fixed)) / sum(joint[x][y] for y in free)
            for y in free:
                joint[x][y] *= scale
        for y in range(4):
            free = [x for x in range(4) if (x, y) not in fixed]
            scale = (p[y] - sum(joint[x][y] for x in range(4) if (x, y) in fixed)) / sum(joint[x][y] for x in free)
            for x in free:
                joint[x][y] *= scale
    return p, [[joint[x][y] / sum(joint[x]) for y in range(4)] for x in range(4)]


def markov_sequence(rng, length, p, P, k=6, block=8192):
    """A Markov chain sample, drawn k bases at a time: for each current base, the 4^k
    continuations with their exact joint probabilities, drawn by random.choices in blocks
    of a fixed size (so the draw order, and hence the output, is deterministic)."""
    outcomes = ["".join(t) for t in itertools.product(BASES, repeat=k)]  # last base = index & 3
    cum = []
    for x in range(4):
        weights = []
        for t in itertools.product(range(4), repeat=k):
            pr, prev = 1.0, x
            for y in t:
                pr *= P[prev][y]
                prev = y
            weights.append(pr)
        cum.append(list(itertools.accumulate(weights)))
    index = range(4 ** k)
    pools, used = [None] * 4, [block] * 4
    x = rng.choices(range(4), weights=p)[0]
    drawn = []
    for _ in range((length + k - 1) // k):
        if used[x] == block:
            pools[x] = rng.choices(index, cum_weights=cum[x], k=block)
            used[x] = 0
        o = pools[x][used[x]]
        used[x] += 1
        drawn.append(o)
        x = o & 3
    return bytearray("".join(map(outcomes.__getitem__, drawn))[:length].encode())


def skewed_length(rng, lo, hi, decay):
    lengths = list(range(lo, hi + 1))
    return rng.choices(lengths, weights=[decay ** (n - lo) for n in lengths])[0]


def add_background_features(rng, seq, counts):
    """Homopolymers, short tandem repeats and purine-rich stretches, at random positions,
    in a random order (later ones overwrite earlier ones)."""
    L = len(seq)
    kinds = (["homopolymer"] * round(L / 10_000 * 3) + ["str"] * round(L / 10_000 * 2)
             + ["purine_rich"] * round(L / 10_000 * 1))
    rng.shuffle(kinds)
    for kind in kinds:
        if kind == "homopolymer":
            n = skewed_length(rng, 6, 30, 0.85)
            piece = rng.choices(BASES, weights=[4, 1, 1, 4])[0] * n
        elif kind == "str":
            unit_len = rng.randint(2, 6)
            if rng.random() < 1 / 3:
                unit = rng.choice([u for u in PURINE_UNITS if len(u) == unit_len])
            else:
                unit = "".join(rng.choices(BASES, k=unit_len))
            n = rng.randint(10, 60)
            piece = (unit * (n // unit_len + 1))[:n]
            if rng.random() < 0.5:
                piece = revcomp(piece)
        else:
            n = rng.randint(20, 80)
            piece = "".join(rng.choice("AG") if rng.random() < 0.9 else rng.choice("CT") for _ in range(n))
            if rng.random() < 0.5:
                piece = revcomp(piece)
        pos = rng.randrange(0, L - n + 1)
        seq[pos:pos + n] = piece.encode()
        counts[kind] += 1


def add_n_runs(rng, seq, first, last):
    L = len(seq)
    runs = []
    if first:
        runs.append((0, rng.randint(50, 5000)))
    if last:
        n = rng.randint(50, 5000)
        runs.append((L - n, L))
    for _ in range(rng.randint(2, 4)):
        n = rng.randint(50, 5000)
        a = rng.randrange(0, L - n + 1)
        runs.append((a, a + n))
    for a, b in runs:
        seq[a:b] = b"N" * (b - a)
    return sorted(runs)


def soft_mask(rng, L, fraction=0.20):
    mask = bytearray(L)
    covered = 0
    stretches = 0
    while covered < fraction * L:
        n = rng.randint(100, 5000)
        a = rng.randrange(0, L - n + 1)
        covered += mask[a:a + n].count(0)
        mask[a:a + n] = b"\x01" * n
        stretches += 1
    return mask, stretches


def mutate(rng, base):
    return ord(rng.choice([b for b in BASES if ord(b) != base]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--mbp", type=float, default=12)
    ap.add_argument("--records", type=int, default=6)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--sites", type=int, default=500, help="planted exact sites (half per strand)")
    ap.add_argument("--near", type=int, default=500, help="near-sites of each kind (half per strand)")
    A = ap.parse_args()
    started = time.monotonic()
    rng = random.Random(A.seed)
    total = int(A.mbp * 1_000_000)
    R = A.records
    weights = [R - i for i in range(R)]
    lengths = [total * w // sum(weights) for w in weights]
    lengths[0] += total - sum(lengths)
    names = [f"chr{i + 1}" for i in range(R)]
    gcs = [0.5] if R == 1 else [round(0.35 + 0.30 * i / (R - 1), 4) for i in range(R)]
    rng.shuffle(gcs)

    # Background with repeats and N runs, per record (uppercase throughout until masking).
    genome, n_runs, counts = [], [], []
    for r in range(R):
        p, P = markov_matrix(gcs[r])
        seq = markov_sequence(rng, lengths[r], p, P)
        c = {"homopolymer": 0, "str": 0, "purine_rich": 0}
        add_background_features(rng, seq, c)
        n_runs.append(add_n_runs(rng, seq, first=(r == 0), last=(r == R - 1)))
        genome.append(seq)
        counts.append(c)

    # Place the planted features: exact sites, one- and two-mismatch near-sites.
    specs = []
    for kind, n in (("site", A.sites), ("near1", A.near), ("near2", A.near)):
        specs += [(kind, "+")] * (n - n // 2) + [(kind, "-")] * (n // 2)
    rng.shuffle(specs)
    placed = [[] for _ in range(R)]  # per record, sorted starts
    features = [[] for _ in range(R)]  # per record: (start, kind, strand, 12-mer on its strand)
    span = 12 + FEATURE_GAP
    for kind, strand in specs:
        while True:
            r = rng.choices(range(R), weights=lengths)[0]
            pos = rng.randrange(FEATURE_GAP, lengths[r] - span + 1)
            i = bisect.bisect_left(placed[r], pos)
            if i < len(placed[r]) and placed[r][i] - pos < span:
                continue
            if i > 0 and pos - placed[r][i - 1] < span:
                continue
            if b"N" in genome[r][pos - FEATURE_GAP:pos + span]:
                continue
            break
        if kind == "site":
            word = SITE
        else:
            word = list(SITE)
            for j in rng.sample(range(12), 1 if kind == "near1" else 2):
                word[j] = rng.choice([b for b in BASES if b != word[j]])
            word = "".join(word)
        placed[r].insert(i, pos)
        features[r].insert(i, (pos, kind, strand, word))

    # Write near-sites into both genomes; exact sites only into the planted one; scrub.
    planted_genome, scrubbed = [], 0
    for r in range(R):
        U = genome[r]
        for pos, kind, strand, word in features[r]:
            if kind != "site":
                U[pos:pos + 12] = (word if strand == "+" else revcomp(word)).encode()
        P = bytearray(U)
        sites = {}
        for pos, kind, strand, word in features[r]:
            if kind == "site":
                P[pos:pos + 12] = (SITE if strand == "+" else SITE_RC).encode()
                sites[pos] = P[pos:pos + 12]

        def feature_at(x, with_sites):
            i = bisect.bisect_right(placed[r], x) - 1
            return i >= 0 and x < placed[r][i] + 12 and (with_sites or features[r][i][1] != "site")

        changed = True
        while changed:
            changed = False
            for genome_, with_sites in ((U, False), (P, True)):
                for m in list(EXACT.finditer(genome_)):
                    a = m.start()
                    if with_sites and a in sites:
                        continue
                    free = [x for x in range(a, a + 12) if not feature_at(x, with_sites)]
                    x = rng.choice(free)
                    b = mutate(rng, genome_[x])
                    U[x] = b
                    if not feature_at(x, True):
                        P[x] = b
                    scrubbed += 1
                    changed = True
        genome[r] = U
        planted_genome.append(P)

    # Soft-mask (the same stretches in both genomes; N stays uppercase; a feature takes the
    # case of the base at its start).
    feature_masked = {"site": 0, "near1": 0, "near2": 0}
    for r in range(R):
        mask, stretches = soft_mask(rng, lengths[r])
        for a, b in n_runs[r]:
            mask[a:b] = bytes(b - a)
        for pos, kind, strand, word in features[r]:
            mask[pos:pos + 12] = bytes([mask[pos]]) * 12
            feature_masked[kind] += mask[pos]
        for seq in (genome[r], planted_genome[r]):
            for m in re.finditer(rb"\x01+", mask):
                seq[m.start():m.end()] = seq[m.start():m.end()].lower()
        counts[r]["masked_bases"] = mask.count(1)
        counts[r]["masked_stretches"] = stretches

    # Check: the planted sites are the only exact sites; the unplanted genome has none; the
    # genomes differ only at the sites; near-sites have the stated number of mismatches.
    for r in range(R):
        U, P = genome[r].upper(), planted_genome[r].upper()
        expected = sorted((pos, strand) for pos, kind, strand, _ in features[r] if kind == "site")
        found = sorted((m.start(), "+" if m.group() == SITE.encode() else "-") for m in EXACT.finditer(P))
        assert found == expected, f"{names[r]}: exact sites in planted genome differ from the planted ones"
        assert EXACT.search(U) is None, f"{names[r]}: exact site in unplanted genome"
        diff = [i for i in range(0, len(U), 1 << 16) if U[i:i + (1 << 16)] != P[i:i + (1 << 16)]]
        site_positions = set()
        for pos, kind, strand, word in features[r]:
            if kind == "site":
                site_positions.update(range(pos, pos + 12))
        for i in diff:
            for x in range(i, min(i + (1 << 16), len(U))):
                assert U[x] == P[x] or x in site_positions, f"{names[r]}:{x}: genomes differ outside a site"
        for pos, kind, strand, word in features[r]:
            for seq in ((P,) if kind == "site" else (U, P)):
                got = bytes(seq[pos:pos + 12])
                got = (got if strand == "+" else revcomp(got)).decode()
                mismatches = sum(a != b for a, b in zip(got, SITE))
                assert got == word and mismatches == {"site": 0, "near1": 1, "near2": 2}[kind]
            assert b"N" not in U[pos - FEATURE_GAP:pos + 12 + FEATURE_GAP]

    os.makedirs(A.outdir, exist_ok=True)

    def write_fasta(path, seqs):
        with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                    compresslevel=6) as out:
            for name, seq in zip(names, seqs):
                out.write(f">{name}\n".encode())
                out.write(b"\n".join(seq[i:i + 60] for i in range(0, len(seq), 60)))
                out.write(b"\n")

    write_fasta(os.path.join(A.outdir, "planted.fa.gz"), planted_genome)
    write_fasta(os.path.join(A.outdir, "unplanted.fa.gz"), genome)
    for kind, file in (("site", "sites.bed"), ("near1", "near1.bed"), ("near2", "near2.bed")):
        with open(os.path.join(A.outdir, file), "w") as out:
            for r in range(R):
                for pos, k, strand, word in features[r]:
                    if k == kind:
                        out.write(f"{names[r]}\t{pos}\t{pos + 12}\t{word}\t0\t{strand}\n")

    records = []
    for r in range(R):
        s = planted_genome[r].upper()
        acgt = sum(s.count(b) for b in b"ACGT")
        freq = {b: s.count(b) / acgt for b in b"ACGT"}
        pairs = acgt - 1
        records.append({
            "name": names[r], "length": lengths[r], "target_gc": gcs[r],
            "gc": round((freq[ord("C")] + freq[ord("G")]), 4),
            "cpg_obs_exp": round(s.count(b"CG") / pairs / (freq[ord("C")] * freq[ord("G")]), 3),
            "tpa_obs_exp": round(s.count(b"TA") / pairs / (freq[ord("T")] * freq[ord("A")]), 3),
            "n_bases": s.count(b"N"), "n_runs": [list(x) for x in n_runs[r]],
            "masked_fraction": round(counts[r]["masked_bases"] / lengths[r], 4),
            "masked_stretches": counts[r]["masked_stretches"],
            "homopolymers": counts[r]["homopolymer"], "tandem_repeats": counts[r]["str"],
            "purine_rich_stretches": counts[r]["purine_rich"],
            "sites": sum(1 for f in features[r] if f[1] == "site"),
            "near1": sum(1 for f in features[r] if f[1] == "near1"),
            "near2": sum(1 for f in features[r] if f[1] == "near2"),
        })
    summary = {
        "generator": "bench/make-specificity-genome.py", "seed": A.seed, "site": SITE, "site_rc": SITE_RC,
        "total_length": total, "total_n_bases": sum(x["n_bases"] for x in records),
        "records": records,
        "features": {kind: {strand: sum(1 for r in range(R) for f in features[r] if f[1] == kind and f[2] == strand)
                            for strand in "+-"} for kind in ("site", "near1", "near2")},
        "features_soft_masked": feature_masked,
        "accidental_sites_scrubbed": scrubbed,
    }
    with open(os.path.join(A.outdir, "summary.json"), "w") as out:
        json.dump(summary, out, indent=1)
        out.write("\n")
    print(f"{A.outdir}: {R} records, {total} bases ({summary['total_n_bases']} N), "
          f"{A.sites} sites, {A.near}+{A.near} near-sites, {scrubbed} accidental sites scrubbed, "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr)
    for x in records:
        print(f"  {x['name']}: {x['length']} bp, GC {x['gc']:.3f}, CpG o/e {x['cpg_obs_exp']}, "
              f"TpA o/e {x['tpa_obs_exp']}, masked {x['masked_fraction']:.3f}, N {x['n_bases']}", file=sys.stderr)


if __name__ == "__main__":
    main()
