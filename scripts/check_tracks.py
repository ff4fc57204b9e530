#!/usr/bin/python3
"""Checks annotate's bigWig and bigBed files with pyBigWig (Debian python3-pybigwig)
against the plain outputs of the same scan.

    check_tracks.py bigwig FILE.bw FILE.bedGraph STEP
    check_tracks.py bigbed FILE.bb FILE.bed

bigwig: the chromosomes cover the bedGraph's; intervals() equal its lines and their values
equal its 4-decimal values to float32 precision, for every chromosome; no interval passes
its chromosome's end; values() at every 997th line; and stats(type=max/min/mean), exact
and from the zoom levels, at every zoom level's bin boundaries, match the bedGraph's values.

bigbed: entries() return every BED line with its fields, in order, for every chromosome,
and the autoSql names every column.

Prints "ok" and counts when every check holds; exits non-zero with the failed check.
"""
import bisect
import sys

import pyBigWig

FLOAT32 = 1e-7  # a 4-decimal value in [0, 1] and its nearest float32
BED_FIELDS = ["chrom", "chromStart", "chromEnd", "name", "score", "strand", "probability"]
STATISTICS_FIELDS = ["minusLog10P", "minusLog10Q"]
SITE_FIELDS = ["siteStart", "siteSequence"]


def bed_layouts(width):
    """The column layouts annotate's BED of this width may have: BED6+1, then the statistics' two
    and/or the site's two."""
    layouts = [BED_FIELDS + stats + site for stats in ([], STATISTICS_FIELDS) for site in ([], SITE_FIELDS)]
    return [layout for layout in layouts if len(layout) == width]


def check_bigwig(path, bedgraph, step):
    bw = pyBigWig.open(path)
    assert bw.isBigWig(), "not a bigWig"
    rows = {}
    for line in open(bedgraph):
        if line.startswith("track"):
            continue
        c, s, e, v = line.split()
        rows.setdefault(c, []).append((int(s), int(e), float(v)))
    chroms = bw.chroms()
    assert set(chroms) >= set(rows), (chroms, list(rows))
    levels = bw.header()["nLevels"]
    queries = 0
    for c, length in chroms.items():
        got = bw.intervals(c) or ()
        want = rows.get(c, [])
        assert [(s, e) for s, e, v in got] == [(s, e) for s, e, v in want], c
        assert all(abs(v - w) <= FLOAT32 for (_, _, v), (_, _, w) in zip(got, want)), c
        assert all(e <= length for s, e, v in got), c
        if not want:
            continue
        values = bw.values(c, 0, length)
        for s, e, v in want[::997]:
            assert abs(values[s] - v) <= FLOAT32, (c, s)
        starts = [s for s, e, v in want]
        for level in range(levels):
            r = 10 * step * 4 ** level
            for start, end in [(0, length), (r, 3 * r), (0, r)]:
                if end > length:
                    continue
                # Values lie on a grid of span = step, so those overlapping [start, end)
                # start in [start - step + 1, end).
                lo = bisect.bisect_left(starts, start - step + 1)
                hi = bisect.bisect_left(starts, end)
                inside = [v for s, e, v in want[lo:hi] if s < end and e > start]
                for kind in ["max", "min", "mean"]:
                    exact = bw.stats(c, start, end, type=kind, exact=True)[0]
                    zoomed = bw.stats(c, start, end, type=kind)[0]
                    queries += 1
                    if not inside:
                        assert exact is None, (c, start, end)
                        continue
                    expected = {"max": max(inside), "min": min(inside)}.get(kind)
                    if expected is not None:
                        assert abs(exact - expected) <= FLOAT32, (c, kind, exact, expected)
                    assert abs(exact - zoomed) <= 1e-5 * max(abs(exact), 1e-6) + 1e-7, (c, start, end, kind, exact, zoomed)
    print("ok", len(chroms), "chromosomes", sum(map(len, rows.values())), "intervals", levels, "zoom levels", queries, "stats")


def check_bigbed(path, bed):
    bb = pyBigWig.open(path)
    assert bb.isBigBed(), "not a bigBed"
    rows = [line.rstrip("\n").split("\t") for line in open(bed) if not line.startswith("track")]
    names = []
    for r in rows:
        if r[0] not in names:
            names.append(r[0])
    chroms = bb.chroms()
    assert set(names) <= set(chroms), (names, chroms)
    total = 0
    for c, length in chroms.items():
        got = bb.entries(c, 0, length) or []
        want = [(int(r[1]), int(r[2]), "\t".join(r[3:])) for r in rows if r[0] == c]
        assert got == want, (c, got[:2], want[:2])
        total += len(got)
    assert total == len(rows) and total > 0, total
    sql = bb.SQL().decode()
    fields = [line.split()[1].rstrip(";") for line in sql.splitlines() if line.strip().startswith(("string", "uint", "char", "float"))]
    width = len(rows[0])
    assert fields in bed_layouts(width), (fields, width)
    print("ok", total, "regions", width, "columns")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "bigwig":
        check_bigwig(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] == "bigbed":
        check_bigbed(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
