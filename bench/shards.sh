#!/usr/bin/env bash
# Scans in shards: byte identity with one scan, memory per shard, and the Snakemake workflow.
#
#   bench/shards.sh [--annotate PATH] [--genome FASTA] [--counts "1 2 3 7 16"] [--no-workflow]
#
# 1. On samples/demo.fa.gz and a 50-Mbp genome of 60 records (bench/make-specificity-genome.py
#    --mbp 50 --records 60: GC from 35 to 65 %, N runs, soft-masked stretches, planted sites;
#    or --genome FASTA), decompressed to plain FASTA and indexed: for every N in --counts,
#    the background in N parts (annotate background --shard) merged must equal the one
#    made in one run, and N shard scans merged (annotate merge) must equal one scan, for
#    BED, narrowPeak (--max-q 0.05) and BED as BGZF with its .tbi. Peak RSS (/usr/bin/time
#    %M) of the shard jobs and of the merges, and the slowest shard job's seconds.
# 2. workflow/Snakefile on both genomes with 8 shards, BED.gz output, with --cores 1 and
#    --cores 2 (when snakemake is installed): wall seconds, and identity with one scan.
set -euo pipefail
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
# shellcheck source=bench/lib.sh
source "$(dirname "$self")/lib.sh"
annotate="" genome="" counts="1 2 3 7 16" workflow=1
while (($#)); do
    case "$1" in
        --annotate) annotate="${2:?}"; shift 2 ;;
        --genome) genome="${2:?}"; shift 2 ;;
        --counts) counts="${2:?}"; shift 2 ;;
        --no-workflow) workflow=0; shift ;;
        -h|--help) bench_usage "$self"; exit 0 ;;
        *) echo "shards.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [[ -n "$genome" && "$genome" != /* ]]; then genome="$PWD/$genome"; fi
bench_setup "$self"
annotate="$(cd "$(dirname "$annotate")" && pwd)/$(basename "$annotate")"
out=bench/out/shards
mkdir -p "$out"
if [[ -z "$genome" ]]; then
    genome=bench/out/g50/planted.fa.gz
    [[ -s "$genome" ]] || python3 bench/make-specificity-genome.py bench/out/g50 --mbp 50 --records 60 --seed 15 > /dev/null
fi
failed=0
declare -A result

# timed COMMAND...: runs it, appends "seconds peak-KiB" to $out/time.txt; merged: to $out/merge.txt.
timed() { /usr/bin/time -f "%e %M" -a -o "$out/time.txt" "$@"; }
merged() { /usr/bin/time -f "%e %M" -a -o "$out/merge.txt" "$@"; }
same() { if cmp -s "$1" "$2"; then echo "same"; else echo "DIFFERENT"; failed=1; fi; }

for source in samples/demo.fa.gz "$genome"; do
    name=$(basename "$source" | sed 's/\..*//')
    fasta="$out/$name.fa"
    gzip -dcf "$source" > "$fasta"
    "$annotate" index "$fasta"
    echo "## $name: $(wc -l < "$fasta.fai") records, $(awk '{ s += $2 } END { print s }' "$fasta.fai") bp"
    : > "$out/time.txt"
    timed "$annotate" background --quiet "$fasta" -o "$out/whole.bg"
    timed "$annotate" scan --quiet "$fasta" -o "$out/whole.bed"
    timed "$annotate" scan --quiet "$fasta" --format narrowpeak --max-q 0.05 -o "$out/whole.narrowPeak"
    timed "$annotate" scan --quiet "$fasta" -o "$out/whole.bed.gz"
    read -r bg bed np gz < <(awk '{ printf "%s ", $1 } END { print "" }' "$out/time.txt")
    echo "one run: background ${bg} s, BED scan ${bed} s, narrowPeak ${np} s, BED.gz ${gz} s; $(wc -l < "$out/whole.bed") BED lines"
    for n in $counts; do
        : > "$out/time.txt"; : > "$out/merge.txt"
        for i in $(seq 1 "$n"); do timed "$annotate" background --quiet "$fasta" --shard "$i/$n" -o "$out/part.$i"; done
        merged "$annotate" merge --quiet $(seq -f "$out/part.%g" 1 "$n") -o "$out/merged.bg"
        background=$(same "$out/whole.bg" "$out/merged.bg")
        for format in bed narrowPeak; do
            options=(); [[ $format == narrowPeak ]] && options=(--format narrowpeak --max-q 0.05)
            for i in $(seq 1 "$n"); do
                timed "$annotate" scan --quiet "$fasta" "${options[@]}" --shard "$i/$n" --background "$out/whole.bg" -o "$out/scan.$format.$i"
            done
            merged "$annotate" merge --quiet $(seq -f "$out/scan.$format.%g" 1 "$n") -o "$out/merged.$format"
            result[$format]=$(same "$out/whole.$format" "$out/merged.$format")
        done
        "$annotate" merge --quiet $(seq -f "$out/scan.bed.%g" 1 "$n") -o "$out/merged.bed.gz"
        gz=$(same "$out/whole.bed.gz" "$out/merged.bed.gz")/$(same "$out/whole.bed.gz.tbi" "$out/merged.bed.gz.tbi")
        peak=$(awk '$2 > m { m = $2 } END { printf "%.1f", m / 1024 }' "$out/time.txt")
        mpeak=$(awk '$2 > m { m = $2 } END { printf "%.1f", m / 1024 }' "$out/merge.txt")
        slowest=$(awk '$1 > m { m = $1 } END { printf "%.2f", m }' "$out/time.txt")
        echo "N=$n: background $background, BED ${result[bed]}, narrowPeak ${result[narrowPeak]}, BED.gz+tbi $gz; shard jobs: peak RSS $peak MiB, slowest $slowest s; merges: peak RSS $mpeak MiB"
    done
done

if ((workflow)) && command -v snakemake > /dev/null; then
    echo "## workflow/Snakefile, 8 shards, BED.gz ($(snakemake --version))"
    work="$out/workflow"
    for cores in 1 2; do
        rm -rf "$work"; mkdir -p "$work"
        cat > "$work/config.yaml" <<YAML
genomes:
  demo: $PWD/samples/demo.fa.gz
  g50: $PWD/$out/$(basename "$genome" | sed 's/\..*//').fa
shards: 8
annotate: $annotate
suffix: bed.gz
results: results
YAML
        start=$(date +%s.%N)
        snakemake -s workflow/Snakefile --cores "$cores" --directory "$work" --configfile "$work/config.yaml" -q > "$work/log.txt" 2>&1
        seconds=$(echo "$(date +%s.%N) - $start" | bc)
        "$annotate" scan --quiet samples/demo.fa.gz -o "$out/demo.bed.gz"
        echo "--cores $cores: $(printf %.1f "$seconds") s wall; demo $(same "$out/demo.bed.gz" "$work/results/demo.bed.gz"), g50 $(same "$out/whole.bed.gz" "$work/results/g50.bed.gz")"
    done
elif ((workflow)); then
    echo "## workflow: skipped (snakemake is not installed)"
fi
exit $failed
