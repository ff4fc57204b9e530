#!/usr/bin/env bash
# Significance benchmark: what scan's q-values call on the specificity genome, and what the
# statistics cost in time and memory.
#
#   bench/significance.sh [--annotate PATH] [--runs N]
#
# 1. On bench/out/specificity/{planted,unplanted}.fa.gz (made by bench/specificity.sh, which
#    this runs first if they are missing), scans at the default settings (probability >= 0.5),
#    with --max-q 0.05 and 0.01 (regions merged from windows with p <= 0.001), and with
#    --threshold 0.5 --max-q 0.05, scored by bench/specificity_eval.py (recall, precision,
#    false regions), with each scan's summary line (regions and their expected false ones).
# 2. `scan --threads 2 --quiet` (both strands, step 1, BED) with and without statistics
#    (--no-stats), interleaved, --runs times each (default 5), on planted.fa.gz (12 Mbp) and on
#    a 20-Mbp uniform random genome (bench/make-genome.py): median seconds, the ratio, and the
#    peak RSS (/usr/bin/time %M).
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# shellcheck source=bench/lib.sh
source "$(dirname "$self")/lib.sh"
annotate="" runs=5
while (($#)); do
    case "$1" in
        --annotate) annotate="${2:?}"; shift 2 ;;
        --runs) runs="${2:?}"; shift 2 ;;
        -h|--help) bench_usage "$self"; exit 0 ;;
        *) echo "significance.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
bench_setup "$self"
spec=bench/out/specificity out=bench/out/significance
mkdir -p "$out"
[[ -s "$spec/planted.fa.gz" && -s "$spec/unplanted.fa.gz" ]] || bench/specificity.sh --annotate "$annotate" --runs 1 > /dev/null
[[ -s "$out/genome20.fa.gz" ]] || python3 bench/make-genome.py "$out/genome20.fa.gz" --mbp 20 --records 2

runs_args=()
for setting in "default:" "q0.05:--max-q 0.05" "q0.01:--max-q 0.01" "p0.5+q0.05:--threshold 0.5 --max-q 0.05"; do
    label=${setting%%:*} args=${setting#*:}
    for g in planted unplanted; do
        # shellcheck disable=SC2086
        "$annotate" scan $args "$spec/$g.fa.gz" > "$out/$label.$g.bed" 2> "$out/$label.$g.log"
    done
    echo "$label (${args:-default settings}), planted: $(tr '\r' '\n' < "$out/$label.planted.log" | tail -1)"
    runs_args+=(--run "$label" "$out/$label.planted.bed" "$out/$label.unplanted.bed")
done
echo
python3 bench/specificity_eval.py --genome-dir "$spec" "${runs_args[@]}" --top 0 | sed '/^Top /,$d'

echo
echo "| genome | statistics | median s | runs (s) | peak RSS MB |"
echo "|---|---|---:|---|---:|"
for genome in "$spec/planted.fa.gz" "$out/genome20.fa.gz"; do
    declare -A seconds=() rss=()
    for ((r = 1; r <= runs; r++)); do
        for which in off on; do
            extra=(); [[ $which == off ]] && extra=(--no-stats)
            /usr/bin/time -f "%e %M" -o "$out/time.log" "$annotate" scan --threads 2 --quiet "${extra[@]}" "$genome" > /dev/null
            read -r s m < "$out/time.log"
            seconds[$which]+="$s "
            rss[$which]=$m
        done
    done
    median() { bench_median; }
    off=$(echo "${seconds[off]}" | median) on=$(echo "${seconds[on]}" | median)
    for which in off on; do
        s=$([[ $which == off ]] && echo "$off" || echo "$on")
        awk -v g="$(basename "$genome")" -v w="$which" -v s="$s" -v r="${seconds[$which]% }" -v m="${rss[$which]}" \
            'BEGIN{printf "| %s | %s | %.3f | %s | %.0f |\n", g, w, s, r, m/1024}'
    done
    awk -v a="$on" -v b="$off" -v g="$(basename "$genome")" 'BEGIN{printf "| %s | ratio on/off | %.3f | | |\n", g, a/b}'
done
