#!/usr/bin/env bash
# What a scan report costs: `annotate scan` with and without --report FILE.html, run in
# turns (so that the machine's noise falls on both alike), median wall time of each, and
# their ratio; outputs compared byte for byte.
#
#   bench/reports.sh [--runs N] [--annotate BIN] [GENOME.fa.gz] [-- SCAN OPTIONS...]
#
# Default genome: bench/out/genome20.fa.gz (made by bench/make-genome.py if missing).
set -euo pipefail
runs=5 annotate="" genome="" options=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --annotate) annotate="$2"; shift 2 ;;
        --) shift; options=("$@"); break ;;
        -h|--help) source "$(dirname "$0")/lib.sh"; bench_usage "$0"; exit 0 ;;
        *) genome="$1"; shift ;;
    esac
done
[[ -n "$genome" && "$genome" != /* ]] && genome="$PWD/$genome"
source "$(dirname "$0")/lib.sh"
bench_setup "$0"
if [[ -z "$genome" ]]; then
    genome=bench/out/genome20.fa.gz
    [[ -f "$genome" ]] || { mkdir -p bench/out; python3 bench/make-genome.py "$genome" --mbp 20 --records 2; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for ((i = 1; i <= runs; i++)); do
    for mode in plain report; do
        extra=()
        [[ $mode == report ]] && extra=(--report "$work/report.html")
        start=$(date +%s.%N)
        "$annotate" scan "$genome" --quiet ${options[@]+"${options[@]}"} "${extra[@]+"${extra[@]}"}" -o "$work/$mode.bed"
        end=$(date +%s.%N)
        echo "$end - $start" | bc >> "$work/$mode.times"
    done
done
cmp -s "$work/plain.bed" "$work/report.bed" || { echo "outputs differ with --report" >&2; exit 1; }
plain=$(median < "$work/plain.times") report=$(median < "$work/report.times")
echo "scan $(basename "$genome") ${options[*]-}: ${plain} s without a report, ${report} s with one (median of $runs): $(echo "scale=3; $report / $plain" | bc)x; outputs identical"
