#!/usr/bin/env bash
# Calibration benchmark for scan's p- and q-values, on pure-background genomes (no site):
# order-3 Markov chains with random transition tables (bench/make-background-genome.py),
# which annotate's null never sees.
#
#   bench/calibration.sh [--annotate PATH] [--length BP] [--small N] [--seeds N]
#
# 1. For G+C 35 %, 50 % and 65 %, a genome of --length bases (default 10 Mbp, 2 records):
#    `annotate scan --no-merge --max-p 0.01` writes every window (either strand) with
#    p <= 0.01; the fraction of all scored windows with p <= alpha, over alpha, is printed
#    for alpha = 1e-2 to 1e-5 (calibrated: 1; the target is 0.7-1.4); then the same for merged
#    regions (`--max-p 0.01`, each region with its best window's cluster p-value), whose
#    count at p <= alpha is alpha x windows when calibrated. With --seeds N (default 1),
#    N genomes per G+C (seeds 7, 8, ...), each on its rows, then their mean: one genome's
#    ratio strays by its own and its decoys' chance; the mean shows a bias.
# 2. --small N genomes (default 20) of 1 Mbp at G+C 35-65 % with different seeds:
#    `annotate scan --max-q 0.05`; how many of them have any region at q <= 0.05
#    (target: at most 2), and the same at the default settings (probability >= 0.5).
#
# Genomes go to bench/out/calibration/ and are made once per seed.
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# shellcheck source=bench/lib.sh
source "$(dirname "$self")/lib.sh"
annotate="" length=10000000 small=20 seeds=1
while (($#)); do
    case "$1" in
        --annotate) annotate="${2:?}"; shift 2 ;;
        --length) length="${2:?}"; shift 2 ;;
        --small) small="${2:?}"; shift 2 ;;
        --seeds) seeds="${2:?}"; shift 2 ;;
        -h|--help) bench_usage "$self"; exit 0 ;;
        *) echo "calibration.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
bench_setup "$self"
out=bench/out/calibration
mkdir -p "$out"
genome() {  # gc seed length -> path
    local path="$out/bg-gc$1-seed$2-len$3.fa.gz"
    [[ -s "$path" ]] || python3 bench/make-background-genome.py --gc "$1" --seed "$2" --length "$3" | gzip -1 > "$path"
    echo "$path"
}
printf '%-16s %12s %10s %10s %10s %10s\n' "G+C" "windows" "1e-2" "1e-3" "1e-4" "1e-5"
rows="$out/rows.txt"
: > "$rows"
for gc in 0.35 0.50 0.65; do
  for ((seed = 7; seed < 7 + seeds; seed++)); do
    label="$gc"; ((seeds > 1)) && label="$gc/$seed"
    g=$(genome "$gc" "$seed" "$length")
    "$annotate" scan --no-merge --max-p 0.01 "$g" -o "$out/windows.bed" 2> "$out/summary.txt"
    windows=$(sed -n 's/.* bases, \([0-9]*\) windows scored.*/\1/p' "$out/summary.txt")
    awk -v m="$windows" -v gc="$label" '{a+=($8>=2); b+=($8>=3); c+=($8>=4); d+=($8>=5)}
        END {printf "%-16s %12d %10.3f %10.3f %10.3f %10.3f\n", gc " windows", m, a/m/1e-2, b/m/1e-3, c/m/1e-4, d/m/1e-5}' "$out/windows.bed" | tee -a "$rows"
    # Merged regions (windows with p <= 0.01 merged, as scan merges them): each region has
    # its best window's cluster p-value; calibrated, the regions with p <= alpha are
    # alpha x windows. At 1e-2 clusters are not yet rare enough to be counted apart (-).
    "$annotate" scan --max-p 0.01 --quiet "$g" -o "$out/regions.bed"
    awk -v m="$windows" -v gc="$label" '{b+=($8>=3); c+=($8>=4); d+=($8>=5)}
        END {printf "%-16s %12d %10s %10.3f %10.3f %10.3f\n", gc " regions", m, "-", b/m/1e-3, c/m/1e-4, d/m/1e-5}' "$out/regions.bed" | tee -a "$rows"
  done
done
if ((seeds > 1)); then
    echo
    echo "mean of $seeds genomes:"
    for gc in 0.35 0.50 0.65; do
        for kind in windows regions; do
            awk -v gc="$gc" -v kind="$kind" 'index($1, gc "/") == 1 && $2 == kind {n++; w+=$3; for (i = 4; i <= 7; i++) s[i]+=$i}
                END {printf "%-16s %12d %10s %10.3f %10.3f %10.3f\n", gc " " kind, w/n, (kind == "regions" ? "-" : sprintf("%.3f", s[4]/n)), s[5]/n, s[6]/n, s[7]/n}' "$rows"
        done
    done
fi
echo
q_hits=0 default_hits=0
for ((s = 1; s <= small; s++)); do
    gc=$(awk -v s="$s" 'BEGIN {printf "%.2f", 0.35 + 0.30 * ((s - 1) % 7) / 6}')
    g=$(genome "$gc" "$((100 + s))" 1000000)
    n=$("$annotate" scan --max-q 0.05 --quiet "$g" | wc -l)
    d=$("$annotate" scan --quiet "$g" | wc -l)
    echo "genome $s (G+C $gc): $n regions at q <= 0.05, $d at probability >= 0.5"
    ((n > 0)) && q_hits=$((q_hits + 1))
    ((d > 0)) && default_hits=$((default_hits + 1))
done
echo "genomes with any region at q <= 0.05: $q_hits of $small; with any at the default settings: $default_hits of $small"
