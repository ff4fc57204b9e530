#!/usr/bin/env python3
"""Scores one matrix of the generality benchmark, and tabulates the run (bench/generality.sh).

  python bench/generality_eval.py eval --data DIR/ID --unplanted UNPLANTED.fa.gz
                                       --model-planted PLANTED.bed --model-unplanted UNPLANTED.bed
                                       --model-metrics EVALUATE.json [--extra KEY=VALUE ...]
                                       --out EVAL.json
  python bench/generality_eval.py table --run-dir RUN [--meta KEY=VALUE ...] ID [ID ...]

eval: DIR/ID holds matrix.json, set.tsv, planted.fa.gz and sites.bed (bench/generality_data.py).
Writes EVAL.json and prints sanity lines to stderr:

  matrix oracle, test split   the notebook's split, sklearn train_test_split(range(n),
      test_size=0.25, random_state=42) over set.tsv's records in order, test = its second
      output; a sequence's score is the matrix's best log-odds over all positions and both
      strands, log-odds = log2(q / 0.25) with q = (p + 0.01) / 1.04 per base (pseudocount 0.01
      per base, renormalised); AUC = sklearn roc_auc_score, AUPRC = average_precision_score.
  site-level recall at r = 1, 10, 100 false regions per 10 Mbp (of total genome length
      including N), for the model and for the matrix. Regions: the model's are annotate
      scan's merged regions (BED6+1, probability in column 7), scored by their best window's
      exact probability when shard scans (--shard 1/1, same model, threshold at least the
      BED's) are given, else by the BED's 4-decimal probability (kept as model_bed either
      way); the matrix's are the positions (either strand, none touching an N) whose
      log-odds is at least a scan threshold T, each a hit of the motif's width, hits on one
      strand that overlap or touch merged into a region with the best log-odds. T is the
      log-odds of the 4k-th best position of the unplanted genome (then 16k-th, ... until
      there are at least k regions), k as below for r = 100.
      For rate r, k = max(1, round(r x length / 10^7)) and the cut is the score of the k-th
      best region of the unplanted genome. A region passes when its score is above the cut;
      regions scoring exactly the cut pass at random, with the chance that lets exactly k
      unplanted regions pass, (k - regions above) / regions at the cut, and count as that
      fraction of a region (expected values: this matters for short matrices, whose best
      k-mer occurs hundreds of times, and for models whose probability saturates at 1). A
      site's score is the best score of a planted-genome region, on either strand, that
      shares at least half of the site's bases; the site counts 1 when that is above the
      cut and the tie fraction when it is at the cut; recall = found / sites. The same rule
      on the unplanted genome's regions gives the control recall (what the background at the
      sites' positions scores; should be ~0).

table: reads RUN/ID/eval.json for each ID; writes RUN/result.md and RUN/result.json and prints
the markdown to stdout.
"""
import argparse
import bisect
import json
import math
import os
import sys
import time
from collections import defaultdict

import numpy as np

from generality_data import read_fasta_gz
from specificity_eval import read_bed

RATES = (1, 10, 100)
PSEUDOCOUNT = 0.01
N_SCORE = -1e6  # the log-odds of a base that is not ACGT: no window with one passes any cut
CODE = np.full(256, 4, dtype=np.uint8)
for i, b in enumerate(b"ACGT"):
    CODE[b] = CODE[b + 32] = i


def log_odds(probs):
    """(width, 5): log2(q / 0.25), q = (p + pseudocount) / (1 + 4 pseudocount); column 4 (N)
    gets N_SCORE."""
    q = (np.asarray(probs, float) + PSEUDOCOUNT) / (1 + 4 * PSEUDOCOUNT)
    return np.concatenate([np.log2(q / 0.25), np.full((q.shape[0], 1), N_SCORE)], axis=1)


def reverse_complement_table(table):
    """The table of the motif's reverse complement: column j, base b = column w-1-j, base 3-b
    (A0 C1 G2 T3; N stays N)."""
    rc = table[::-1, [3, 2, 1, 0, 4]]
    return np.ascontiguousarray(rc)


def window_scores(codes, table):
    """Log-odds of every window of codes (last axis) against table: one vectorised pass per
    motif column over all windows (a sliding_window_view would need width x windows floats)."""
    width = table.shape[0]
    n = codes.shape[-1] - width + 1
    if n <= 0:
        return np.zeros(codes.shape[:-1] + (0,))
    scores = table[0][codes[..., 0:n]].astype(np.float64)
    for j in range(1, width):
        scores += table[j][codes[..., j:j + n]]
    return scores


def read_fasta_codes(path):
    names, seqs = read_fasta_gz(path)
    return names, [CODE[np.frombuffer(bytes(s), np.uint8)] for s in seqs]


def read_sites(path):
    sites = []
    with open(path) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            sites.append((c[0], int(c[1]), int(c[2]), c[3], c[5]))
    return sites


class Regions:
    """Regions by (chrom, strand): sorted, non-overlapping starts/ends/scores arrays."""

    def __init__(self, rows):
        by = defaultdict(list)
        for chrom, start, end, strand, score in rows:
            by[(chrom, strand)].append((start, end, score))
        self.by = {}
        for key, v in by.items():
            v.sort()
            a = np.array(v, dtype=float)
            self.by[key] = (a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2])
        self.scores = np.concatenate([v[2] for v in self.by.values()]) if self.by else np.zeros(0)

    @classmethod
    def from_arrays(cls, parts):
        """parts: (chrom, strand, starts, ends, scores) arrays."""
        self = cls([])
        for chrom, strand, s, e, m in parts:
            self.by[(chrom, strand)] = (s, e, m)
        self.scores = np.concatenate([v[2] for v in self.by.values()]) if self.by else np.zeros(0)
        return self

    def __len__(self):
        return len(self.scores)

    def best_covering(self, chrom, a, b):
        """The best score of a region (either strand) sharing at least half of [a, b)'s
        bases with it; -inf when there is none."""
        best = -math.inf
        for strand in "+-":
            if (chrom, strand) not in self.by:
                continue
            starts, ends, scores = self.by[(chrom, strand)]
            lo = np.searchsorted(ends, a, side="right")  # regions ending after a
            hi = np.searchsorted(starts, b, side="left")  # and starting before b
            for i in range(lo, hi):
                overlap = min(b, ends[i]) - max(a, starts[i])
                if 2 * overlap >= b - a and scores[i] > best:
                    best = scores[i]
        return best

    def overlaps_any(self, chrom, a, b):
        for strand in "+-":
            if (chrom, strand) in self.by:
                starts, ends, _ = self.by[(chrom, strand)]
                if np.searchsorted(ends, a, side="right") < np.searchsorted(starts, b, side="left"):
                    return True
        return False

    def rows(self):
        for (chrom, strand), (s, e, m) in self.by.items():
            for i in range(len(s)):
                yield chrom, int(s[i]), int(e[i]), strand, float(m[i])


def read_bed_regions(path):
    """annotate's BED6+1 regions (strand and probability), read as the seed's benchmark reads them."""
    return Regions([(c[0], int(c[1]), int(c[2]), c[5], float(c[6])) for c in read_bed(path, 7)])


def read_shard_windows(path):
    """The passing windows of an `annotate scan --shard I/N` file (exact probabilities):
    window length, {(chrom, strand): (starts, probabilities)}."""
    names, width, by = {}, None, defaultdict(lambda: ([], []))
    chrom = None
    with open(path) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[0] == "w":
                for strand, value in (("+", c[2]), ("-", c[3])):
                    if value != ".":
                        starts, probs = by[(chrom, strand)]
                        starts.append(int(c[1]))
                        probs.append(float(value))
            elif c[0] == "record":
                chrom = names.setdefault(c[1], c[2])
            elif c[0] == "settings":
                width = int(dict(x.split("=", 1) for x in c[1:] if "=" in x)["window"])
    if width is None:
        sys.exit(f"{path}: not an annotate shard file (no settings line)")
    return width, {k: (np.array(v[0], np.int64), np.array(v[1])) for k, v in by.items()}


def exact_region_scores(regions, shard_path, scan_threshold, shard_threshold):
    """The regions of a BED scan (windows >= scan_threshold, merged) with their best window's
    exact probability, from a shard scan of the same genome with threshold shard_threshold
    (>= scan_threshold; the shard then holds only the windows that can reach the cut).
    A region without a window in the shard gets -inf (its best is below shard_threshold,
    hence below every cut). Checks: every shard window lies in a BED region; a region's
    exact best rounds to the BED's 4 decimals; a region whose BED probability is clear of
    shard_threshold has windows; with equal thresholds the windows merge into exactly the
    BED's regions."""
    width, windows = read_shard_windows(shard_path)
    assert set(windows) <= set(regions.by), f"{shard_path}: windows on a record or strand with no BED region"
    same = shard_threshold <= scan_threshold
    parts = []
    for key, (starts, ends, rounded) in regions.by.items():
        ws, probs = windows.get(key, (np.zeros(0, np.int64), np.zeros(0)))
        order = np.argsort(ws, kind="stable")
        ws, probs = ws[order], probs[order]
        idx = np.searchsorted(starts, ws, side="right") - 1
        assert (idx >= 0).all() and (ws + width <= ends[idx]).all(), f"{key}: a window outside the BED regions"
        best = np.full(len(starts), -np.inf)
        np.maximum.at(best, idx, probs)
        has = np.isfinite(best)
        assert (np.abs(best[has] - rounded[has]) <= 5.0001e-5).all(), f"{key}: BED probability is not the exact one rounded"
        assert has[rounded >= shard_threshold + 5.0001e-5].all(), f"{key}: a region above the shard threshold has no window"
        if same:
            first = np.full(len(starts), np.iinfo(np.int64).max)
            last = np.full(len(starts), -1)
            np.minimum.at(first, idx, ws)
            np.maximum.at(last, idx, ws)
            assert (first == starts).all() and (last + width == ends).all(), f"{key}: regions differ from the windows' merge"
        parts.append((key[0], key[1], starts, ends, best))
    return Regions.from_arrays(parts)


def merge_hits(scores, width, threshold):
    """Regions of positions with score >= threshold, each a hit [i, i + width); hits that
    overlap or touch are merged. Returns starts, ends, best scores."""
    hits = np.flatnonzero(scores >= threshold)
    if len(hits) == 0:
        z = np.zeros(0, np.int64)
        return z, z, np.zeros(0)
    new = np.concatenate([[True], hits[1:] > hits[:-1] + width])
    first = np.flatnonzero(new)
    last = np.concatenate([first[1:], [len(hits)]]) - 1
    return hits[first], hits[last] + width, np.maximum.reduceat(scores[hits], first)


def matrix_scores(names, genome, table, rc_table):
    """{(chrom, strand): scores of every window start on the forward strand}."""
    return {(name, strand): window_scores(codes, t)
            for name, codes in zip(names, genome) for strand, t in (("+", table), ("-", rc_table))}


def matrix_regions(scores, width, threshold):
    return Regions.from_arrays([(chrom, strand, *merge_hits(s, width, threshold))
                                for (chrom, strand), s in scores.items()])


def kth_best(values, k):
    if len(values) < k:
        return None
    return float(np.partition(values, len(values) - k)[len(values) - k])


def cuts(unplanted_scores, genome_length):
    """Per rate: k, the cut (the k-th best unplanted region's score), and the share of the
    regions tied at the cut that pass: ties are broken at random, so a region scoring the
    cut counts tie_fraction = (k - regions above the cut) / regions at the cut of a region
    (expected values), and exactly k unplanted regions pass."""
    out = {}
    for r in RATES:
        k = max(1, round(r * genome_length / 1e7))
        cut = kth_best(unplanted_scores, k)
        if cut is None:
            out[r] = {"k": k, "cut": None, "tie_fraction": None, "above": None, "tied": None}
            continue
        above = int((unplanted_scores > cut).sum())
        tied = int((unplanted_scores == cut).sum())
        out[r] = {"k": k, "cut": cut, "tie_fraction": (k - above) / tied, "above": above, "tied": tied}
    return out


def weight(score, c):
    """How much of a region (or site) with this score passes the cut: 1 above it, the tie
    fraction at it, 0 below."""
    if c["cut"] is None or score < c["cut"]:
        return 0.0
    return 1.0 if score > c["cut"] else c["tie_fraction"]


def site_level(method, unplanted, planted, sites, genome_length, scan_threshold):
    c = cuts(unplanted.scores, genome_length)
    best_planted = [planted.best_covering(chrom, a, b) for chrom, a, b, _, _ in sites]
    best_control = [unplanted.best_covering(chrom, a, b) for chrom, a, b, _, _ in sites]
    result = {"scan_threshold": None if scan_threshold is None else float(scan_threshold),
              "regions_unplanted": len(unplanted), "regions_planted": len(planted), "rates": {}}
    for r in RATES:
        cr = c[r]
        found = sum(weight(s, cr) for s in best_planted)
        control = sum(weight(s, cr) for s in best_control)
        false_unplanted = round(sum(weight(x, cr) for x in unplanted.scores), 6) if cr["cut"] is not None else None
        passing = [(row, weight(row[4], cr)) for row in planted.rows() if weight(row[4], cr) > 0]
        false_planted = round(sum(w for (chrom, a, b, _, _), w in passing
                                  if not any(a < st[2] and b > st[1] for st in _sites_near(sites, chrom, a, b))), 6)
        result["rates"][str(r)] = {
            **cr, "recall": None if cr["cut"] is None else found / len(sites), "found": round(found, 6),
            "found_tied": sum(1 for s in best_planted if cr["cut"] is not None and s == cr["cut"]),
            "control_recall": None if cr["cut"] is None else control / len(sites),
            "false_unplanted": false_unplanted, "regions_passing_planted": round(sum(w for _, w in passing), 6),
            "false_planted": false_planted,
        }
    # Sanity: every site found at r = 100 has, by a plain scan of all planted regions, a
    # region at or above the cut that shares at least half of its bases, and no other has.
    c100 = c[100]
    if c100["cut"] is not None:
        rows = defaultdict(list)
        for row in planted.rows():
            if row[4] >= c100["cut"]:
                rows[row[0]].append(row)
        for (chrom, a, b, _, _), s in zip(sites, best_planted):
            brute = any(2 * (min(b, e) - max(a, st)) >= b - a for _, st, e, _, _ in rows[chrom])
            assert brute == (s >= c100["cut"]), f"{method}: found-rule mismatch at {chrom}:{a}-{b}"
    return result


_SITE_INDEX = {}


def _sites_near(sites, chrom, a, b):
    """Sites of chrom that may overlap [a, b) (sites are at least 60 bp apart; index cached)."""
    key = id(sites)
    if key not in _SITE_INDEX:
        by = defaultdict(list)
        for s in sites:
            by[s[0]].append(s)
        for v in by.values():
            v.sort(key=lambda s: s[1])
        _SITE_INDEX[key] = {ch: (v, [s[1] for s in v]) for ch, v in by.items()}
    if chrom not in _SITE_INDEX[key]:
        return []
    v, starts = _SITE_INDEX[key][chrom]
    i = bisect.bisect_left(starts, a - 1000)
    j = bisect.bisect_left(starts, b)
    return v[i:j]


def oracle(set_path, table, rc_table, predictions_path=None):
    """The matrix's test AUC and AUPRC; with annotate predict's output for set.tsv, also the
    model's on this split (to check that the split is annotate's)."""
    from sklearn.metrics import average_precision_score, roc_auc_score
    from sklearn.model_selection import train_test_split
    seqs, labels = [], []
    with open(set_path) as f:
        for line in f:
            s, label = line.rstrip("\n").split("\t")
            seqs.append(s)
            labels.append(int(label))
    _, test = train_test_split(range(len(seqs)), test_size=0.25, random_state=42)
    codes = np.stack([CODE[np.frombuffer(seqs[i].encode(), np.uint8)] for i in test])
    y = np.array([labels[i] for i in test])
    best = np.maximum(window_scores(codes, table).max(axis=1), window_scores(codes, rc_table).max(axis=1))
    result = {"test_size": len(test), "test_positives": int(y.sum()),
              "auc": float(roc_auc_score(y, best)), "auprc": float(average_precision_score(y, best))}
    model = None
    if predictions_path:
        with open(predictions_path) as f:
            p = np.array([float(line.split("\t")[1]) for line in f if line.strip()])
        assert len(p) == len(seqs), f"{predictions_path}: {len(p)} predictions for {len(seqs)} sequences"
        _, multiplicity = np.unique(p[test], return_counts=True)
        model = {"auc": float(roc_auc_score(y, p[test])), "auprc": float(average_precision_score(y, p[test])),
                 "most_tied": int(multiplicity.max())}
    return result, model


def evaluate(A):
    started = time.monotonic()
    with open(os.path.join(A.data, "matrix.json")) as f:
        matrix = json.load(f)
    table = log_odds(matrix["probabilities"])
    rc_table = reverse_complement_table(table)
    width = matrix["width"]
    sites = read_sites(os.path.join(A.data, "sites.bed"))
    result = {"id": matrix["id"], "name": matrix["name"], "width": width,
              "information_content_bits": matrix["information_content_bits"],
              "release": matrix["release"], "sites": len(sites), "pseudocount": PSEUDOCOUNT}
    for kv in A.extra:
        key, _, value = kv.partition("=")
        try:
            result[key] = json.loads(value)
        except json.JSONDecodeError:
            result[key] = value
    with open(A.model_metrics) as f:
        m = json.load(f)
    result["model_test"] = {"auc": m["auc"], "auprc": m["auprc"], "test_size": m.get("size", m.get("test_size"))}
    result["matrix_test"], check = oracle(os.path.join(A.data, "set.tsv"), table, rc_table, A.model_predictions)
    if check is not None:
        # annotate predict prints 7 significant digits: ties can move the AUC a little.
        # annotate predict prints 7 decimals: probabilities under 5e-8 all read 0.0000000, and
        # ties move the AUC, so the check means something only when few test sequences tie.
        result["model_test_from_predict"] = check
        agree = abs(check["auc"] - m["auc"]) < 2e-3 and abs(check["auprc"] - m["auprc"]) < 2e-3
        if agree:
            verdict = "the splits agree"
        elif check["most_tied"] > 5:
            verdict = f"not comparable: predict's 7 decimals tie {check['most_tied']} test sequences"
        else:
            verdict = "SPLITS DIFFER?"
        print(f"  {matrix['id']}: model test AUC {m['auc']:.4f} (annotate evaluate), {check['auc']:.4f} "
              f"(annotate predict on this script's split): {verdict}", file=sys.stderr)

    names, unplanted = read_fasta_codes(A.unplanted)
    pnames, planted = read_fasta_codes(os.path.join(A.data, "planted.fa.gz"))
    assert names == pnames and all(len(u) == len(p) for u, p in zip(unplanted, planted))
    genome_length = sum(len(u) for u in unplanted)
    result["genome_length"] = genome_length
    k_max = max(1, round(max(RATES) * genome_length / 1e7))

    # The matrix: exact log-odds of every window, both strands.
    u_scores = matrix_scores(names, unplanted, table, rc_table)
    everything = np.concatenate(list(u_scores.values()))
    m = 4 * k_max
    while True:
        threshold = kth_best(everything, min(m, len(everything)))
        u_regions = matrix_regions(u_scores, width, threshold)
        if len(u_regions) >= k_max or m >= len(everything):
            break
        m *= 4
    del everything
    p_scores = matrix_scores(names, planted, table, rc_table)
    # Sanity: the scan's score at each planted site (on its strand) is the site's own log-odds.
    for chrom, a, b, word, strand in sites:
        codes = CODE[np.frombuffer(word.encode(), np.uint8)]
        direct = table[np.arange(width), codes].sum()
        assert abs(p_scores[(chrom, strand)][a] - direct) < 1e-9, f"matrix scan disagrees at {chrom}:{a} {strand}"
    p_regions = matrix_regions(p_scores, width, threshold)
    del u_scores, p_scores
    result["matrix"] = site_level("matrix", u_regions, p_regions, sites, genome_length, threshold)

    # The model: annotate scan's regions, scored by their best window's exact probability
    # when shard scans are given (BED has 4 decimals, which ties saturated models' regions),
    # and as BED writes them.
    bed_unplanted, bed_planted = read_bed_regions(A.model_unplanted), read_bed_regions(A.model_planted)
    threshold = result.get("model_scan_threshold")
    result["model_bed"] = site_level("model (BED)", bed_unplanted, bed_planted, sites, genome_length, threshold)
    if A.model_unplanted_shard and A.model_planted_shard:
        shard_threshold = result.get("model_shard_threshold", threshold)
        result["model"] = site_level(
            "model", exact_region_scores(bed_unplanted, A.model_unplanted_shard, threshold, shard_threshold),
            exact_region_scores(bed_planted, A.model_planted_shard, threshold, shard_threshold),
            sites, genome_length, threshold)
        result["model_scores"] = "exact (shard scan)"
    else:
        result["model"] = result["model_bed"]
        result["model_scores"] = "BED, 4 decimals"
    result["eval_seconds"] = round(time.monotonic() - started, 2)
    with open(A.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for method in ("model", "model_bed", "matrix"):
        x = result[method]
        rates = "; ".join(describe_rate(r, v) for r, v in x["rates"].items())
        print(f"  {result['id']} {method}: scan threshold {fmt_cut(x['scan_threshold'])}, regions "
              f"{x['regions_unplanted']} unplanted / {x['regions_planted']} planted; {rates}", file=sys.stderr)


def describe_rate(r, v):
    ties = f" ({v['tied']} tied, {v['above']} above)" if v["tied"] and v["tied"] > 1 else ""
    return (f"@{r}: k {v['k']}, cut {fmt_cut(v['cut'])}{ties}, false {fmt(v['false_unplanted'], 1)} unplanted"
            f" / {fmt(v['false_planted'], 1)} planted, found {fmt(v['found'], 1)}, control {fmt(v['control_recall'], 3)}")


def fmt_cut(v):
    return "-" if v is None else f"{v:.4g}"


def fmt(v, digits):
    return "–" if v is None else f"{v:.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def table(A):
    rows = []
    for matrix_id in A.ids:
        with open(os.path.join(A.run_dir, matrix_id, "eval.json")) as f:
            rows.append(json.load(f))
    meta = {}
    for kv in A.meta:
        key, _, value = kv.partition("=")
        meta[key] = value
    for x in rows:
        x["ratio"] = {str(r): ratio(x["model"]["rates"][str(r)]["recall"], x["matrix"]["rates"][str(r)]["recall"])
                      for r in (10, 100)}
    mbp = rows[0]["genome_length"] / 1e6 if rows else 0
    lines = [f"# Generality: {meta.get('label') or 'unlabelled run'}", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items() if k != "label"]
    lines += [f"- genome: {mbp:g} Mbp (incl. N), {rows[0]['sites'] if rows else 0} planted sites per matrix; "
              f"recall at r false regions per 10 Mbp = found / sites; ratio = model recall / matrix recall",
              f"- matrix log-odds: log2(q / 0.25), q = (p + {PSEUDOCOUNT}) / {1 + 4 * PSEUDOCOUNT:g}", ""]
    head = ["ID", "name", "width", "IC (bits)", "train s", "model AUC", "model AUPRC", "matrix AUC",
            "matrix AUPRC", "model R@1", "model R@10", "model R@100", "matrix R@1", "matrix R@10",
            "matrix R@100", "ratio @10", "ratio @100"]
    lines += ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|"]
    for x in rows:
        mr, xr = x["model"]["rates"], x["matrix"]["rates"]
        cells = [x["id"], x["name"], str(x["width"]), f"{x['information_content_bits']:.2f}",
                 fmt(x.get("train_seconds"), 1),
                 fmt(x["model_test"]["auc"], 4), fmt(x["model_test"]["auprc"], 4),
                 fmt(x["matrix_test"]["auc"], 4), fmt(x["matrix_test"]["auprc"], 4)]
        cells += [fmt(mr[str(r)]["recall"], 3) for r in RATES] + [fmt(xr[str(r)]["recall"], 3) for r in RATES]
        cells += [fmt(x["ratio"][str(r)], 2) for r in (10, 100)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Per matrix: scan thresholds, region counts (unplanted / planted genome at the scan "
              "threshold), false regions passing the @100 cut (unplanted / planted), control recall @100 "
              "(the unplanted genome at the sites), seconds.", ""]
    head2 = ["ID", "model threshold", "model regions", "model false @100", "model control @100",
             "matrix threshold", "matrix regions", "matrix false @100", "matrix control @100",
             "data s", "train s", "scans s", "eval s"]
    lines[-2] += (" data s: making the matrix's set and planted genome (when it was made, if cached); "
                  "scans s: all of the model's scans; eval s: the matrix's scans and the scoring.")
    lines += ["| " + " | ".join(head2) + " |", "|---|" + "|".join(["---:"] * (len(head2) - 1)) + "|"]
    for x in rows:
        cells = [x["id"]]
        for method in ("model", "matrix"):
            y = x[method]
            v = y["rates"]["100"]
            cells += [fmt_cut(y["scan_threshold"]), f"{y['regions_unplanted']} / {y['regions_planted']}",
                      f"{fmt(v['false_unplanted'], 1)} / {fmt(v['false_planted'], 1)}", fmt(v["control_recall"], 3)]
        cells += [fmt(x.get("data_seconds"), 1), fmt(x.get("train_seconds"), 1), fmt(x.get("scan_seconds"), 1),
                  fmt(x.get("eval_seconds"), 1)]
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(A.run_dir, "result.md"), "w") as f:
        f.write(text)
    with open(os.path.join(A.run_dir, "result.json"), "w") as f:
        json.dump({"meta": meta, "rates_per_10_mbp": list(RATES), "matrices": rows}, f, indent=1)
        f.write("\n")
    sys.stdout.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    e = sub.add_parser("eval")
    e.add_argument("--data", required=True)
    e.add_argument("--unplanted", required=True)
    e.add_argument("--model-planted", required=True)
    e.add_argument("--model-unplanted", required=True)
    e.add_argument("--model-planted-shard")
    e.add_argument("--model-unplanted-shard")
    e.add_argument("--model-metrics", required=True)
    e.add_argument("--model-predictions")
    e.add_argument("--extra", action="append", default=[])
    e.add_argument("--out", required=True)
    t = sub.add_parser("table")
    t.add_argument("--run-dir", required=True)
    t.add_argument("--meta", action="append", default=[])
    t.add_argument("ids", nargs="+")
    A = ap.parse_args()
    evaluate(A) if A.command == "eval" else table(A)


if __name__ == "__main__":
    main()
