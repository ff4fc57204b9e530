#!/usr/bin/env bash
# Variant effects: throughput and memory of annotate variants on the demo genome.
#
#   bench/variants.sh [--annotate PATH] [--runs N] [--count N]
#
# 1. 400,000 random SNVs on samples/demo.fa.gz (bench/make-variants.py), and the same with
#    10 % indels, against a background made once (annotate background): median seconds of
#    --runs runs (default 3) with 2 threads, variants per second; next to a scan of the
#    demo timed in the same run (the baseline the machine's speed is read from).
# 2. Memory: --count variants (default 10,000,000; the 1,000,000-variant set repeated)
#    piped through stdin: peak RSS (/usr/bin/time %M) and seconds.
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# shellcheck source=bench/lib.sh
source "$(dirname "$self")/lib.sh"
annotate="" runs=3 count=10000000
while (($#)); do
    case "$1" in
        --annotate) annotate="${2:?}"; shift 2 ;;
        --runs) runs="${2:?}"; shift 2 ;;
        --count) count="${2:?}"; shift 2 ;;
        -h|--help) bench_usage "$self"; exit 0 ;;
        *) echo "variants.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
bench_setup "$self"
out=bench/out/variants
mkdir -p "$out"
gzip -dc samples/demo.fa.gz > "$out/demo.fa"
"$annotate" index "$out/demo.fa"
"$annotate" background --quiet "$out/demo.fa" -o "$out/demo.bg"
python3 bench/make-variants.py "$out/demo.fa" 400000 > "$out/snv.vcf"
python3 bench/make-variants.py "$out/demo.fa" 400000 --indels 0.1 > "$out/mixed.vcf"
median() { bench_median; }
seconds() { /usr/bin/time -f "%e" -o "$out/t" "$@" > /dev/null; cat "$out/t"; }
for set in snv mixed; do
    n=$(grep -vc '^#' "$out/$set.vcf")
    : > "$out/scan.t"; : > "$out/variants.t"
    for _ in $(seq "$runs"); do
        seconds "$annotate" scan --quiet --threads 2 "$out/demo.fa" >> "$out/scan.t"
        seconds "$annotate" variants --quiet --threads 2 --fasta "$out/demo.fa" --background "$out/demo.bg" --vcf "$out/$set.vcf" -o /dev/null >> "$out/variants.t"
    done
    v=$(median < "$out/variants.t"); s=$(median < "$out/scan.t")
    echo "$set: $n variants in $v s (median of $runs) = $(echo "$n / $v" | bc) variants/s; demo scan in the same runs: $s s"
done
start=$(date +%s)
python3 bench/make-variants.py "$out/demo.fa" "$count" --loop | /usr/bin/time -f "%e %M" -o "$out/mem.t" \
    "$annotate" variants --quiet --threads 2 --fasta "$out/demo.fa" --background "$out/demo.bg" --vcf - -o /dev/null
read -r secs kib < "$out/mem.t"
echo "memory: $count variants through stdin: peak RSS $((kib / 1024)) MiB, $secs s"
