#!/usr/bin/env bash
# Generality benchmark: trained on labelled sequences whose sites are sampled from a JASPAR
# matrix, does annotate's model find those sites as well as the generating matrix itself?
#
#   bench/generality.sh [--annotate PATH] [--train-args "ARGS"] [--matrices ID,ID,...]
#                       [--mbp N] [--seed N] [--label NAME] [--models DIR]
#
# Per matrix (JASPAR CORE vertebrates, release JASPAR2024 as shipped by pyjaspar 4.0.0):
#   data    (bench/generality_data.py) set.tsv: 1000 uniform-random 50-mers each with one
#           site sampled from the matrix at a random offset, reverse-complemented half of
#           the time (label 1), and 1000 uniform-random 50-mers (label 0), shuffled, as
#           sequence<TAB>label lines; planted.fa.gz: the benchmark genome of
#           bench/make-specificity-genome.py (--sites 0 --near 0: no seed sites) with 500
#           fresh sites from the matrix, 250 per strand, >= 60 bp from each other and from N,
#           each base keeping the background's case; sites.bed (BED6); ID.meme (MEME
#           minimal motif format, e.g. for FIMO). The unplanted genome is the control.
#   model   `annotate train --sequences set.tsv -o model.json` plus --train-args, timed
#           (wall s); its test AUC and AUPRC from `annotate evaluate --json` (the notebook's
#           25 % test split).
#   oracle  the matrix on the same test split: best log-odds over all positions and both
#           strands, log2(q / 0.25) with q = (p + 0.01) / 1.04 (pseudocount 0.01 per base,
#           renormalised); AUC and AUPRC (sklearn roc_auc_score, average_precision_score).
#   recall  of the 500 planted sites at 1, 10 and 100 false regions per 10 Mbp (of total
#           genome length including N): for rate r, k = round(r x Mbp / 10) and the cut is
#           the score of the k-th best region of the unplanted genome; a site is found when
#           a region of the planted genome scoring above the cut shares at least half of the
#           site's bases, on either strand. Regions at exactly the cut pass at random with
#           the chance that lets exactly k unplanted regions pass (a site there counts that
#           chance: recall is an expected value; short matrices' best k-mers occur hundreds
#           of times, saturated models score many regions 1). The model's regions: `annotate
#           scan --no-stats` (both strands, step 1), threshold from 0.5 down a ladder until
#           the unplanted genome has at least k(100) regions, then raised to just under the
#           2k(100)-th best region so that regions stay small; a region's score is its best
#           window's exact probability, read from a `--shard 1/1` scan of the same (plain,
#           indexed) FASTA, because the BED's 4 decimals tie saturated models' regions (the
#           recall from the BED's rounded values is kept as model_bed in the JSON). The
#           matrix's regions: an exact numpy log-odds scan of every position on both strands
#           (positions with N skipped), hits of the motif's width at or above the 4k(100)-th
#           best position's score, merged when they overlap or touch, scored by their best
#           hit. The control recall (the same rule on the unplanted genome) should be ~0.
#           See bench/generality_eval.py.
#
# Writes, per run, to bench/out/generality/ (or bench/out/generality/NAME/ with --label):
# result.md (also printed: per matrix ID, name, width, information content, training s,
# model and matrix test AUC / AUPRC, recall at 1/10/100 for both, model/matrix recall ratio
# at 10 and 100; then scan thresholds, region counts, false regions, control recall and
# seconds), result.json, matrices.meme, and ID/ with model.json, train.log, evaluate.json,
# predictions.tsv (annotate predict on set.tsv: a check that this script's split is
# annotate's), the scans' BED and shard files, and eval.json. Sanity lines (region counts
# in both genomes, cuts, false regions, control recall) go to stderr.
#
# --annotate PATH      use this annotate binary (default: swift build -c release --product
#                      annotate, then .build/release/annotate)
# --train-args "ARGS"  extra arguments for annotate train, split on spaces (e.g.
#                      "--recipe notebook": a second per matrix; the default recipe takes
#                      about a minute per matrix on 2 cores)
# --matrices ID,...    a subset of the matrices below (or other JASPAR IDs with version)
# --mbp N              genome size in Mbp (default 12)
# --seed N             seed of the genome, the sets and the sites (default 20261201)
# --label NAME         name of the run: results go to bench/out/generality/NAME/
# --models DIR         use DIR/ID.json as each matrix's model instead of training one
#
# Data (genome, sets, planted genomes) are cached in bench/out/generality/data/KEY/, KEY =
# the first 12 hex digits of the sha256 of make-specificity-genome.py, generality_data.py
# and the JASPAR release, plus seed and size; they are made again only when one changes.
# Python (pyjaspar, numpy, scikit-learn) runs in a venv made on first use in
# bench/out/generality/venv (pip from PyPI).
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# shellcheck source=bench/lib.sh
source "$(dirname "$self")/lib.sh"
die() { echo "generality.sh: $*" >&2; exit 1; }

# The matrices (JASPAR2024 CORE vertebrates): widths 8-20 bp, 10-22.5 bits.
MATRICES=(
    MA0148.5  # FOXA1, 8 bp, 11.0 bits: the shortest; a forkhead core, AT-rich
    MA0079.5  # SP1, 9 bp, 14.3 bits: SP/KLF GC box, GC-rich against a CpG-depleted genome
    MA0035.4  # GATA1, 11 bp, 10.1 bits: low information content (GATA)
    MA0108.2  # TBP, 15 bp, 10.1 bits: ~15 bp with low information content; TATA box, AT-rich
    MA0112.3  # ESR1, 17 bp, 22.5 bits: the highest information content; palindromic ERE
    MA0139.1  # CTCF, 19 bp, 17.2 bits: long and high information content
    MA0080.5  # SPI1 (PU.1), 20 bp, 14.8 bits: the widest; the seed's own factor (AAAGAGGAAGTT)
)
RELEASE=JASPAR2024
PYJASPAR=pyjaspar==4.0.0
LADDER=(0.5 0.2 0.1 0.05 0.02 0.01 0.005 0.002 0.001 0.0005 0.0002 0.0001 0.00005 0.00002 0.00001)

annotate="" train_args="" matrices="" mbp=12 seed=20261201 label="" models=""
while (($#)); do
    case "$1" in
        --annotate) annotate="${2:?--annotate needs a path}"; shift 2 ;;
        --train-args) train_args="${2?--train-args needs a string}"; shift 2 ;;
        --matrices) matrices="${2:?--matrices needs IDs}"; shift 2 ;;
        --mbp) mbp="${2:?--mbp needs a number}"; shift 2 ;;
        --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
        --label) label="${2:?--label needs a name}"; shift 2 ;;
        --models) models="${2:?--models needs a directory}"; shift 2 ;;
        -h|--help) bench_usage "$self"; exit 0 ;;
        *) bench_usage "$self" >&2; die "unknown argument: $1" ;;
    esac
done
[[ "$mbp" =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v m="$mbp" 'BEGIN{exit !(m >= 0.5)}' || die "--mbp must be a number >= 0.5, not '$mbp'"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, not '$seed'"
[[ -z "$label" || ( "$label" =~ ^[A-Za-z0-9._-]+$ && ! "$label" =~ ^(data|venv|tmp|MA[0-9].*)$ ) ]] \
    || die "--label must be letters, digits, . _ - (and not data, venv, tmp or a matrix ID), not '$label'"
if [[ -n "$matrices" ]]; then IFS=, read -ra ids <<< "$matrices"; else ids=("${MATRICES[@]}"); fi
for id in "${ids[@]}"; do [[ "$id" =~ ^MA[0-9]{4}\.[0-9]+$ ]] || die "not a versioned JASPAR matrix ID: '$id'"; done
read -ra targs <<< "$train_args"
if [[ -n "$models" && "$models" != /* ]]; then models="$PWD/$models"; fi
if [[ -n "$models" ]]; then
    for id in "${ids[@]}"; do [[ -f "$models/$id.json" ]] || die "no model $models/$id.json"; done
    [[ -z "$train_args" ]] || die "--train-args has no effect with --models"
fi
bench_setup "$self"  # to the repository root; annotate = --annotate or a fresh release build
[[ -x "$annotate" ]] || die "no annotate binary at $annotate"
if [[ "$annotate" != /* ]]; then annotate="$PWD/$annotate"; fi

out=bench/out/generality
run="$out${label:+/$label}"
mkdir -p "$out" "$run"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b - a}'; }

# Python: a private venv with pyjaspar (the JASPAR database, offline), numpy, scikit-learn.
venv="$out/venv"
py="$venv/bin/python"
if ! "$py" -c 'import pyjaspar, numpy, sklearn' 2> /dev/null; then
    echo "making the Python venv in $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$PYJASPAR" numpy scikit-learn >&2
fi

# Data, cached per generator version, release, seed and size.
key=$(cat bench/make-specificity-genome.py bench/generality_data.py <(echo "$RELEASE") | sha256sum | cut -c1-12)
data="$out/data/$key-seed$seed-mbp$mbp"
genome="$data/genome"
if [[ ! -s "$genome/done" ]]; then
    echo "generating the genome into $genome" >&2
    rm -rf "$genome"
    start=$(now)
    python3 bench/make-specificity-genome.py "$genome" --mbp "$mbp" --seed "$seed" --sites 0 --near 0
    since "$start" > "$genome/done"
fi
"$py" bench/generality_data.py --background "$genome/unplanted.fa.gz" --out "$data" --seed "$seed" \
    --release "$RELEASE" "${ids[@]}"
genome_length=$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["total_length"])' "$genome/summary.json")
kmax=$(awk -v L="$genome_length" 'BEGIN{k = int(100 * L / 1e7 + 0.5); print (k < 1) ? 1 : k}')

# A private copy of the binary (a rebuild during the run must not change it), and plain,
# indexed FASTA for the shard scans (exact probabilities); removed at exit.
tmp=$(mktemp -d "$out/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
annotate_path=$annotate
cp "$annotate" "$tmp/annotate"
annotate="$tmp/annotate"
annotate_sha=$(sha256sum "$annotate" | cut -c1-16)
gzip -dc "$genome/unplanted.fa.gz" > "$tmp/unplanted.fa"
"$annotate" index "$tmp/unplanted.fa"

regions() { grep -c . "$1" || true; }
nth_best() { sort -t$'\t' -k7,7gr "$1" | sed -n "$2p" | cut -f7; }  # the n-th best region's probability
scan() {  # scan MODEL FASTA THRESHOLD OUT [more scan options]
    local model="$1" fasta="$2" threshold="$3" to="$4"; shift 4
    "$annotate" scan --no-stats --quiet --model "$model" --threshold "$threshold" "$@" "$fasta" > "$to" \
        || die "annotate scan failed: --model $model --threshold $threshold $* $fasta"
}

version=$("$annotate" --version 2>&1 | head -1)
: > "$run/matrices.meme.tmp"
for id in "${ids[@]}"; do
    d="$data/$id" r="$run/$id"
    rm -rf "$r"
    mkdir -p "$r"
    cp "$d/$id.meme" "$r/"
    if [[ ! -s "$run/matrices.meme.tmp" ]]; then cat "$d/$id.meme" > "$run/matrices.meme.tmp"
    else sed -n '/^MOTIF/,$p' "$d/$id.meme" >> "$run/matrices.meme.tmp"; fi
    name=$("$py" -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["name"], m["width"], "bp,", m["information_content_bits"], "bits")' "$d/matrix.json")
    echo "== $id $name" >&2

    # The model: trained (timed) or given.
    train_s=null
    if [[ -n "$models" ]]; then
        cp "$models/$id.json" "$r/model.json"
    else
        start=$(now)
        "$annotate" train --sequences "$d/set.tsv" -o "$r/model.json" --metrics-json "$r/metrics.json" --quiet \
            "${targs[@]}" > "$r/train.log" 2>&1 || { tail -20 "$r/train.log" >&2; die "annotate train failed for $id"; }
        train_s=$(since "$start")
        echo "trained in $train_s s: $(grep '^test:' "$r/train.log" | tail -1)" >&2
    fi
    "$annotate" evaluate --model "$r/model.json" --sequences "$d/set.tsv" --json > "$r/evaluate.json"
    "$annotate" predict --model "$r/model.json" "$d/set.tsv" > "$r/predictions.tsv"
    if [[ -f "$r/metrics.json" ]]; then  # train's own test metrics should be evaluate's
        "$py" -c 'import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
if abs(a["auc"] - b["auc"]) > 1e-9 or abs(a["auprc"] - b["auprc"]) > 1e-9:
    print("warning: train reported auc %s auprc %s, evaluate %s %s" % (a["auc"], a["auprc"], b["auc"], b["auprc"]), file=sys.stderr)' \
            "$r/metrics.json" "$r/evaluate.json"
    fi

    # Model scans: a threshold that leaves at least k(100) regions in the unplanted genome,
    # raised to just under the 2k(100)-th best region; then the planted genome; then shard
    # scans of both for exact probabilities of the regions that can reach the cut.
    start=$(now)
    threshold=""
    for t in "${LADDER[@]}"; do
        scan "$r/model.json" "$genome/unplanted.fa.gz" "$t" "$r/unplanted.bed"
        n=$(regions "$r/unplanted.bed")
        echo "threshold $t: $n regions in the unplanted genome" >&2
        if ((n >= kmax)); then threshold=$t; break; fi
    done
    [[ -n "$threshold" ]] || die "$id: fewer than $kmax regions in the unplanted genome even at threshold ${LADDER[-1]}"
    if ((n >= 2 * kmax)); then
        raised=$(awk -v v="$(nth_best "$r/unplanted.bed" $((2 * kmax)))" -v t="$threshold" 'BEGIN{u = v - 0.0001; print (u > t) ? u : t}')
        if awk -v a="$raised" -v b="$threshold" 'BEGIN{exit !(a > b)}'; then
            threshold=$raised
            scan "$r/model.json" "$genome/unplanted.fa.gz" "$threshold" "$r/unplanted.bed"
            n=$(regions "$r/unplanted.bed")
            echo "threshold $threshold: $n regions in the unplanted genome" >&2
            ((n >= kmax)) || die "$id: raising the threshold left $n regions (< $kmax)"
        fi
    fi
    scan "$r/model.json" "$d/planted.fa.gz" "$threshold" "$r/planted.bed"
    shard_threshold=$(awk -v v="$(nth_best "$r/unplanted.bed" "$kmax")" -v t="$threshold" 'BEGIN{u = v - 0.0001; print (u > t) ? u : t}')
    gzip -dc "$d/planted.fa.gz" > "$tmp/planted.fa"
    "$annotate" index "$tmp/planted.fa"
    scan "$r/model.json" "$tmp/unplanted.fa" "$shard_threshold" "$r/unplanted.shard" --shard 1/1
    scan "$r/model.json" "$tmp/planted.fa" "$shard_threshold" "$r/planted.shard" --shard 1/1
    rm -f "$tmp/planted.fa" "$tmp/planted.fa.fai"
    scan_s=$(since "$start")
    echo "model scans: $scan_s s; regions $n unplanted, $(regions "$r/planted.bed") planted at threshold $threshold" >&2

    "$py" bench/generality_eval.py eval --data "$d" --unplanted "$genome/unplanted.fa.gz" \
        --model-unplanted "$r/unplanted.bed" --model-planted "$r/planted.bed" \
        --model-unplanted-shard "$r/unplanted.shard" --model-planted-shard "$r/planted.shard" \
        --model-metrics "$r/evaluate.json" --model-predictions "$r/predictions.tsv" --out "$r/eval.json" \
        --extra "train_seconds=$train_s" --extra "scan_seconds=$scan_s" \
        --extra "data_seconds=$(cat "$d/done")" --extra "model_scan_threshold=$threshold" \
        --extra "model_shard_threshold=$shard_threshold"
done
mv "$run/matrices.meme.tmp" "$run/matrices.meme"

echo >&2
"$py" bench/generality_eval.py table --run-dir "$run" \
    --meta "label=$label" --meta "annotate=$version ($annotate_path, sha256 $annotate_sha...)" \
    --meta "model=${models:+given: $models/ID.json}${models:-annotate train --sequences set.tsv${train_args:+ $train_args}}" \
    --meta "matrices=$RELEASE CORE vertebrates via $PYJASPAR" \
    --meta "seed=$seed" --meta "background genome=bench/make-specificity-genome.py --mbp $mbp --seed $seed --sites 0 --near 0 ($genome, generated in $(cat "$genome/done") s)" \
    --meta "python=$("$py" -c 'import numpy, sklearn, sys; print(f"{sys.version.split()[0]}, numpy {numpy.__version__}, scikit-learn {sklearn.__version__}")')" \
    --meta "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "${ids[@]}"
