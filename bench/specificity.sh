#!/usr/bin/env bash
# Specificity benchmark: how many of 500 planted AAAGAGGAAGTT sites a model finds, and how
# much else it calls, on a realistic synthetic genome (12 Mbp, 6 records of 35-65 % GC, CpG
# depletion, homopolymers, purine-rich tandem repeats and stretches, soft-masking, N runs;
# see bench/make-specificity-genome.py).
#
#   bench/specificity.sh [--model FILE] [--baseline-model FILE | --baseline-rev REV]
#                        [--annotate PATH] [--runs N]
#
# Measures, with `annotate scan` at default settings (BED, both strands, step 1, threshold
# 0.5, merged regions) on planted.fa.gz and on unplanted.fa.gz (the same genome without the
# exact sites), via bench/specificity_eval.py:
#   recall     planted sites fully covered by a region on the site's strand, of 500;
#   precision  regions overlapping a planted site on its strand / all regions (planted);
#   false regions (overlapping no planted site on their strand), total and per 10 Mbp of
#              total genome length including N, on both genomes, and how many of them sit
#              on a planted site's opposite strand or on a near-site;
#   the fraction of one- and two-mismatch near-sites called (unplanted genome);
#   the top 10 false regions by probability with their sequences.
# With a baseline model the table gets a baseline column too, and scan speed is timed:
# `annotate scan --threads 2 --quiet` (both strands, step 1) on planted.fa.gz, model under
# test and baseline interleaved, --runs times each (default 5); medians, windows/s (windows
# = 2 x scorable windows, from annotate's own summary line) and the ratio new/baseline.
#
# --model FILE        model under test (default: annotate's built-in model)
# --baseline-model F  baseline model file
# --baseline-rev REV  baseline = the built-in model at git revision REV, extracted to
#                     bench/out/specificity/baseline.json. The built-in model's JSON is the
#                     raw string in Sources/Model/BuiltinModel.swift between
#                     `builtinModelFile = #"""` and `"""#`; from any revision:
#                     git show REV:Sources/Model/BuiltinModel.swift | awk '/builtinModelFile = #"""/{f=1; next} /^"""#/{f=0} f'
# --annotate PATH     use this annotate binary (default: swift build -c release --product
#                     annotate, then .build/release/annotate)
# --runs N            timing runs per model (default 5)
#
# The genome is generated once into bench/out/specificity/ and regenerated only when
# bench/make-specificity-genome.py changes (its sha256 is kept in generator.sha256 there).
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"

usage() { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$self"; }
die() { echo "specificity.sh: $*" >&2; exit 1; }

model="" baseline="" baseline_rev="" annotate="" runs=5
while (($#)); do
    case "$1" in
        --model) model="${2:?--model needs a file}"; shift 2 ;;
        --baseline-model) baseline="${2:?--baseline-model needs a file}"; shift 2 ;;
        --baseline-rev) baseline_rev="${2:?--baseline-rev needs a revision}"; shift 2 ;;
        --annotate) annotate="${2:?--annotate needs a path}"; shift 2 ;;
        --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
# Paths are the caller's; the rest runs from the repository root.
abs() { if [[ -n "$1" && "$1" != /* ]]; then echo "$PWD/$1"; else echo "$1"; fi; }
model=$(abs "$model") baseline=$(abs "$baseline") annotate=$(abs "$annotate")
cd "$(dirname "$self")/.."

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
[[ -z "$model" || -f "$model" ]] || die "no model file $model"
[[ -z "$baseline" || -z "$baseline_rev" ]] || die "give --baseline-model or --baseline-rev, not both"
[[ -z "$baseline" || -f "$baseline" ]] || die "no baseline model file $baseline"

out=bench/out/specificity
mkdir -p "$out"

# The baseline at a git revision: the built-in model's JSON, as compiled in at REV.
if [[ -n "$baseline_rev" ]]; then
    git rev-parse --verify --quiet "$baseline_rev^{commit}" > /dev/null || die "no git revision $baseline_rev"
    baseline="$out/baseline.json"
    git show "$baseline_rev:Sources/Model/BuiltinModel.swift" \
        | awk '/builtinModelFile = #"""/{f=1; next} /^"""#/{f=0} f' > "$baseline.tmp"
    python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$baseline.tmp" 2> /dev/null \
        || { rm -f "$baseline.tmp"; die "no model JSON in Sources/Model/BuiltinModel.swift at $baseline_rev"; }
    mv "$baseline.tmp" "$baseline"
    echo "baseline: built-in model at $baseline_rev -> $baseline" >&2
fi

# The genome, generated once per generator version.
generator=bench/make-specificity-genome.py
checksum=$(sha256sum "$generator" | cut -d' ' -f1)
have=true
for f in planted.fa.gz unplanted.fa.gz sites.bed near1.bed near2.bed summary.json generator.sha256; do
    [[ -s "$out/$f" ]] || have=false
done
if ! $have || [[ "$(cat "$out/generator.sha256")" != "$checksum" ]]; then
    rm -f "$out/generator.sha256"
    echo "generating the genome into $out" >&2
    start=$(date +%s.%N)
    python3 "$generator" "$out"
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "generator: %.1f s\n", b-a}' >&2
    echo "$checksum" > "$out/generator.sha256"
fi

if [[ -z "$annotate" ]]; then
    swift build -c release --product annotate >&2
    annotate=.build/release/annotate
fi
[[ -x "$annotate" ]] || die "no annotate binary at $annotate"

model_args=()
if [[ -n "$model" ]]; then model_args=(--model "$model"); fi
label="${model:-built-in model}"

scan() {  # scan PREFIX MODEL_ARGS... -- writes $out/PREFIX{planted,unplanted}.bed and .log
    local prefix="$1"; shift
    for g in planted unplanted; do
        echo "scanning $g.fa.gz${prefix:+ (${prefix%.})}" >&2
        "$annotate" scan "$@" "$out/$g.fa.gz" > "$out/$prefix$g.bed" 2> "$out/$prefix$g.log" \
            || { cat "$out/$prefix$g.log" >&2; die "annotate scan failed (${prefix}$g)"; }
    done
}
scan "" "${model_args[@]}"
runs_args=(--run "$label" "$out/planted.bed" "$out/unplanted.bed")
if [[ -n "$baseline" ]]; then
    scan baseline. --model "$baseline"
    runs_args+=(--run "baseline${baseline_rev:+ ($baseline_rev)}" "$out/baseline.planted.bed" "$out/baseline.unplanted.bed")
fi
echo
python3 bench/specificity_eval.py --genome-dir "$out" "${runs_args[@]}"

[[ -n "$baseline" ]] || exit 0

# Speed: model under test and baseline, interleaved.
windows=$(tr '\r' '\n' < "$out/planted.log" | sed -n 's/^annotate scan: .*, \([0-9]*\) windows scored,.*/\1/p' | tail -1)
[[ -n "$windows" ]] || die "no summary line in $out/planted.log"
declare -A seconds
for ((r = 1; r <= runs; r++)); do
    for which in new baseline; do
        if [[ $which == new ]]; then args=("${model_args[@]}"); else args=(--model "$baseline"); fi
        /usr/bin/time -f %e -o "$out/time.log" "$annotate" scan --threads 2 --quiet "${args[@]}" "$out/planted.fa.gz" > /dev/null
        seconds[$which]+="$(tail -1 "$out/time.log") "
    done
    echo "timing run $r of $runs done" >&2
done
# shellcheck source=bench/lib.sh
source bench/lib.sh
median() { bench_median; }
new_s=$(echo "${seconds[new]}" | median)
base_s=$(echo "${seconds[baseline]}" | median)
echo
echo "| scan --threads 2 --quiet, planted.fa.gz | median s | windows/s | runs (s) |"
echo "|---|---:|---:|---|"
for which in new baseline; do
    s=$([[ $which == new ]] && echo "$new_s" || echo "$base_s")
    name=$([[ $which == new ]] && echo "$label" || echo "baseline${baseline_rev:+ ($baseline_rev)}")
    awk -v n="$name" -v s="$s" -v w="$windows" -v r="${seconds[$which]% }" \
        'BEGIN{printf "| %s | %.3f | %.2fM | %s |\n", n, s, w/s/1e6, r}'
done
awk -v a="$new_s" -v b="$base_s" -v w="$windows" 'BEGIN{printf "\nnew/baseline time ratio: %.3f (>1 = the model under test is slower); %s windows per scan (both strands, step 1).\n", a/b, w}'
