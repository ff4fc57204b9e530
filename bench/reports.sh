#!/usr/bin/env bash
# What a scan report costs: `annotate scan` with and without --report FILE.html, run in
# turns (so that the machine's noise falls on both alike), the median wall time of each,
# and their ratio; the two outputs are compared byte for byte.
#
#   bench/reports.sh [--annotate PATH] [--runs N] [--genome FASTA] [-- SCAN OPTIONS...]
#
# Default: 5 runs on bench/out/genome20.fa.gz (made as bench/run.sh makes it).
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# shellcheck source=bench/lib.sh
source "$(dirname "$self")/lib.sh"
annotate="" runs=5 genome="" options=()
while (($#)); do
    case "$1" in
        --annotate) annotate="${2:?}"; shift 2 ;;
        --runs) runs="${2:?}"; shift 2 ;;
        --genome) genome="${2:?}"; shift 2 ;;
        --) shift; options=("$@"); break ;;
        -h|--help) bench_usage "$self"; exit 0 ;;
        *) echo "reports.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [[ -n "$genome" && "$genome" != /* ]]; then genome="$PWD/$genome"; fi
bench_setup "$self"
if [[ -z "$genome" ]]; then
    genome=bench/out/genome20.fa.gz
    [[ -s "$genome" ]] || { mkdir -p bench/out; python3 bench/make-genome.py "$genome" --mbp 20 --records 2; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq "$runs"); do
    for mode in plain report; do
        extra=()
        [[ $mode == report ]] && extra=(--report "$work/report.html")
        /usr/bin/time -f "%e" -a -o "$work/$mode.t" \
            "$annotate" scan "$genome" --quiet ${options[@]+"${options[@]}"} ${extra[@]+"${extra[@]}"} -o "$work/$mode.bed"
    done
done
cmp -s "$work/plain.bed" "$work/report.bed" || { echo "reports.sh: the outputs differ with --report" >&2; exit 1; }
plain=$(bench_median < "$work/plain.t") report=$(bench_median < "$work/report.t")
echo "scan $(basename "$genome") ${options[*]-}: $plain s without a report, $report s with one (median of $runs): $(echo "scale=3; $report / $plain" | bc)x; outputs identical"
