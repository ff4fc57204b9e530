#!/usr/bin/env python3
"""Scores `annotate scan` BED output against the planted sites of make-specificity-genome.py.

  python3 bench/specificity_eval.py --genome-dir DIR --run LABEL PLANTED.bed UNPLANTED.bed
                                    [--run LABEL2 PLANTED2.bed UNPLANTED2.bed ...] [--top 10]

DIR holds planted.fa.gz, sites.bed, near1.bed, near2.bed and summary.json. The BED files
are the scans of DIR/planted.fa.gz and DIR/unplanted.fa.gz (BED6+1: chrom start end name
score strand probability, merged regions). Prints a markdown table with one column per run
to stdout, then, for the first run, the false regions' closest-12-mer profile and its top
false regions by probability with their sequences. A region "covers" a feature when
region start <= feature start and region end >= feature end, and "overlaps" it when they
share a base; both only count on the same strand. Standard library only.
"""
import argparse
import bisect
import gzip
import json
import os
import sys
import zlib
from collections import Counter, defaultdict

SITE = "AAAGAGGAAGTT"
COMPLEMENT = str.maketrans("ACGTacgtNn", "TGCAtgcaNn")


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1]


def read_bed(path, min_columns):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith(("track", "browser", "#")):
                continue
            c = line.rstrip("\n").split("\t")
            if len(c) < min_columns or c[5] not in "+-":
                sys.exit(f"{path}:{n}: expected {min_columns} tab-separated columns with a strand, got {line!r}")
            rows.append(c)
    return rows


def read_features(path):
    return [(c[0], int(c[1]), int(c[2]), c[3], c[5]) for c in read_bed(path, 6)]


def read_regions(path):
    return [(c[0], int(c[1]), int(c[2]), c[5], float(c[6])) for c in read_bed(path, 7)]


def read_fasta_gz(path):
    seqs, name, parts = {}, None, []
    with gzip.open(path, "rt") as f:
        for line in f:
            if line.startswith(">"):
                if name is not None:
                    seqs[name] = "".join(parts)
                name, parts = line[1:].split()[0], []
            else:
                parts.append(line.strip())
    if name is not None:
        seqs[name] = "".join(parts)
    return seqs


class FeatureIndex:
    """Features by (chrom, strand), for overlap and cover queries."""

    def __init__(self, features):
        self.by_key = defaultdict(list)
        for f in features:
            self.by_key[(f[0], f[4])].append(f)
        for v in self.by_key.values():
            v.sort(key=lambda f: f[1])
        self.starts = {k: [f[1] for f in v] for k, v in self.by_key.items()}
        self.longest = max((f[2] - f[1] for f in features), default=0)

    def overlapping(self, chrom, start, end, strand):
        key = (chrom, strand)
        if key not in self.by_key:
            return []
        starts = self.starts[key]
        lo = bisect.bisect_right(starts, start - self.longest)
        hi = bisect.bisect_left(starts, end)
        return [f for f in self.by_key[key][lo:hi] if f[1] < end and f[2] > start]


class SiteMatches:
    """For every 12-mer of the genome on both strands, how many of its bases match the
    site (case-insensitive): 12 byte-lane masks added as big integers, so it takes
    seconds for a genome rather than minutes."""

    def __init__(self, seqs):
        self.length = {name: len(seq) for name, seq in seqs.items()}
        self.matches = {}
        for name, seq in seqs.items():
            raw = seq.encode()
            for strand, s in (("+", raw), ("-", raw.translate(bytes.maketrans(b"ACGTacgt", b"TGCAtgca"))[::-1])):
                n = len(s) - 11
                if n <= 0:
                    self.matches[(name, strand)] = b""
                    continue
                total = 0
                for j, base in enumerate(SITE.encode()):
                    table = bytearray(256)
                    table[base] = table[base + 32] = 1
                    total += int.from_bytes(s[j:j + n].translate(bytes(table)), "big")
                self.matches[(name, strand)] = total.to_bytes(n, "big")

    def closest(self, chrom, start, end, strand):
        """(mismatches, offset in the region as read on its strand) of the region's 12-mer
        closest to the site."""
        m = self.matches[(chrom, strand)]
        L = self.length[chrom]
        lanes = m[start:end - 11] if strand == "+" else m[L - end:L - start - 11]
        if not lanes:
            return 13, -1
        best = max(lanes)
        return 12 - best, lanes.index(best)


def evaluate(planted_regions, unplanted_regions, sites, near1, near2):
    site_index = FeatureIndex(sites)
    near_index = FeatureIndex(near1 + near2)
    covered_sites = set()
    true_regions, false_regions, opposite, near_false = 0, [], 0, 0
    for r in planted_regions:
        chrom, start, end, strand, p = r
        hits = site_index.overlapping(chrom, start, end, strand)
        for f in hits:
            if start <= f[1] and end >= f[2]:
                covered_sites.add(f)
        if hits:
            true_regions += 1
            continue
        false_regions.append(r)
        if site_index.overlapping(chrom, start, end, "-" if strand == "+" else "+"):
            opposite += 1
        if near_index.overlapping(chrom, start, end, strand):
            near_false += 1
    near_called = {}
    unplanted_near = 0
    for kind, features in (("near1", near1), ("near2", near2)):
        index = FeatureIndex(features)
        called = set()
        for chrom, start, end, strand, p in unplanted_regions:
            for f in index.overlapping(chrom, start, end, strand):
                if start <= f[1] and end >= f[2]:
                    called.add(f)
        near_called[kind] = len(called)
    for chrom, start, end, strand, p in unplanted_regions:
        if near_index.overlapping(chrom, start, end, strand):
            unplanted_near += 1
    return {
        "recall": len(covered_sites), "regions": len(planted_regions), "true_regions": true_regions,
        "false_regions": false_regions, "opposite": opposite, "near_false": near_false,
        "unplanted_regions": len(unplanted_regions), "unplanted_near": unplanted_near,
        "near_called": near_called,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--genome-dir", required=True)
    ap.add_argument("--run", nargs=3, action="append", required=True, metavar=("LABEL", "PLANTED_BED", "UNPLANTED_BED"))
    ap.add_argument("--top", type=int, default=10)
    A = ap.parse_args()
    d = A.genome_dir
    sites = read_features(os.path.join(d, "sites.bed"))
    near1 = read_features(os.path.join(d, "near1.bed"))
    near2 = read_features(os.path.join(d, "near2.bed"))
    with open(os.path.join(d, "summary.json")) as f:
        summary = json.load(f)
    total = summary["total_length"]
    per10 = lambda n: f"{n / total * 1e7:.1f}"
    pct = lambda a, b: f"{a}/{b} ({100 * a / b:.1f} %)" if b else f"{a}/{b} (n/a)"

    results = []
    for label, planted_bed, unplanted_bed in A.run:
        results.append((label, evaluate(read_regions(planted_bed), read_regions(unplanted_bed), sites, near1, near2)))

    rows = [
        ("recall: exact sites covered on their strand", lambda e: pct(e["recall"], len(sites))),
        ("precision: regions overlapping a site on their strand / all regions (planted)",
         lambda e: pct(e["true_regions"], e["regions"])),
        ("false regions, planted genome", lambda e: str(len(e["false_regions"]))),
        ("false regions per 10 Mbp, planted genome", lambda e: per10(len(e["false_regions"]))),
        ("… of which overlap a planted site on the opposite strand", lambda e: str(e["opposite"])),
        ("… of which overlap a near-site on their strand", lambda e: str(e["near_false"])),
        ("bases in false regions / 2 × genome length, planted genome",
         lambda e: f"{100 * sum(r[2] - r[1] for r in e['false_regions']) / (2 * total):.1f} %"),
        ("false regions (= all regions), unplanted genome", lambda e: str(e["unplanted_regions"])),
        ("false regions per 10 Mbp, unplanted genome", lambda e: per10(e["unplanted_regions"])),
        ("… of which overlap a near-site on their strand", lambda e: str(e["unplanted_near"])),
        # The background holds near-sites at their natural density already (only exact
        # copies are scrubbed); the planted ones come on top.
        ("false regions per 10 Mbp at natural near-site density (unplanted, off the planted near-sites)",
         lambda e: per10(e["unplanted_regions"] - e["unplanted_near"])),
        ("1-mismatch near-sites called (unplanted)", lambda e: pct(e["near_called"]["near1"], len(near1))),
        ("2-mismatch near-sites called (unplanted)", lambda e: pct(e["near_called"]["near2"], len(near2))),
    ]
    print("| metric | " + " | ".join(label for label, _ in results) + " |")
    print("|---|" + "---:|" * len(results))
    for name, cell in rows:
        print(f"| {name} | " + " | ".join(cell(e) for _, e in results) + " |")
    print()
    print(f"Per 10 Mbp is per 10 Mbp of total genome length including N ({total:,} bp, of which "
          f"{summary['total_n_bases']:,} N). Sites: {len(sites)} exact {SITE} (half on each strand), "
          f"{len(near1)} one-mismatch and {len(near2)} two-mismatch near-sites (in both genomes).")

    seqs = read_fasta_gz(os.path.join(d, "planted.fa.gz"))

    def on_strand(chrom, start, end, strand):
        s = seqs[chrom][max(start, 0):end]
        return s if strand == "+" else revcomp(s)

    matches = SiteMatches(seqs)
    print()
    for label, e in results:
        profile = Counter()
        for chrom, start, end, strand, p in e["false_regions"]:
            profile[min(matches.closest(chrom, start, end, strand)[0], 5)] += 1
        cells = ", ".join(f"{k if k < 5 else '≥5'}: {profile[k]}" for k in range(6))
        print(f"{label}: false regions (planted genome) by mismatches of their closest 12-mer to the site: {cells}")

    label, e = results[0]
    near_index = FeatureIndex(near1 + near2)
    site_index = FeatureIndex(sites)
    # Ties (probabilities are printed to 4 decimals) are broken by a hash of the position, so
    # the examples come from all over the genome rather than from the start of chr1.
    top = sorted(e["false_regions"], key=lambda r: (-r[4], zlib.crc32(f"{r[0]}:{r[1]}:{r[3]}".encode())))[:A.top]
    print()
    if top:
        tied = sum(1 for r in e["false_regions"] if r[4] == top[0][4])
        print(f"Top {len(top)} false regions of {label} (planted genome) by probability ({tied} false regions "
              f"have p = {top[0][4]:.4f}; ties in hash order). Sequence as read on the region's strand (what the "
              f"model saw), lowercase = soft-masked, the 12-mer closest to {SITE} in [brackets], 10 bp of "
              f"flank either side after '|':")
    print()
    for n, (chrom, start, end, strand, p) in enumerate(top, 1):
        seq = on_strand(chrom, start, end, strand)
        mism, off = matches.closest(chrom, start, end, strand)
        left = on_strand(chrom, start - 10, start, strand) if strand == "+" else on_strand(chrom, end, end + 10, strand)
        right = on_strand(chrom, end, end + 10, strand) if strand == "+" else on_strand(chrom, start - 10, start, strand)
        notes = []
        for f in near_index.overlapping(chrom, start, end, strand):
            notes.append(f"overlaps a {'1' if sum(a != b for a, b in zip(f[3], SITE)) == 1 else '2'}-mismatch near-site {f[3]}")
        if site_index.overlapping(chrom, start, end, "-" if strand == "+" else "+"):
            notes.append("overlaps a site on the opposite strand")
        shown = seq[:off] + "[" + seq[off:off + 12] + "]" + seq[off + 12:] if off >= 0 else seq
        print(f"{n:2}. {chrom}:{start}-{end} {strand} p={p:.4f} {end - start} bp; closest 12-mer "
              f"{seq[off:off + 12].upper()} ({mism} mismatches){'; ' + '; '.join(notes) if notes else ''}")
        print(f"    {left}|{shown}|{right}")


if __name__ == "__main__":
    main()
