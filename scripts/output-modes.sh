#!/usr/bin/env bash
# Runs one annotate binary through every output besides the scan modes of scan-modes.sh
# (background, shards and merges, variants, bigWig, bigBed, BGZF with its index, the
# reports, explain, motifs and a short training) and keeps each one's files, stdout and
# stderr, so that two builds can be compared byte for byte:
#
#   scripts/output-modes.sh ANNOTATE OUTDIR
#   scripts/output-modes.sh /tmp/old/annotate /tmp/old-modes && scripts/output-modes.sh .build/release/annotate /tmp/new-modes
#   diff -r /tmp/old-modes /tmp/new-modes && echo identical
#
# Inputs are made from samples/demo.fa.gz (decompressed and indexed, 1,000 random SNVs and
# indels from bench/make-variants.py with a fixed seed); the training uses the seed data
# (`$ANNOTATE_SEED_DATA` or ../shared/data/seed). Paths inside the outputs are the same for
# both runs: everything runs in OUTDIR/work under relative names. Wall-clock times (the
# training's log, metrics and report) are masked.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0" >&2; exit 2; }
annotate="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
cd "$(dirname "$0")/.."
root="$PWD"
seed_data="${ANNOTATE_SEED_DATA:-$root/../shared/data/seed}"
rm -rf "$out/work"
mkdir -p "$out/work"
cd "$out/work"
gzip -dc "$root/samples/demo.fa.gz" > demo.fa
"$annotate" index demo.fa
python3 "$root/bench/make-variants.py" demo.fa 1000 --indels 0.2 > variants.vcf

run() {  # name, arguments...: stdout to NAME.out, stderr to NAME.err
    local name="$1"
    shift
    "$annotate" "$@" > "$out/$name.out" 2> "$out/$name.err"
}
keep() { for file in "$@"; do cp "$file" "$out/$(basename "$file")"; done; }

# Backgrounds: one run, and 3 parts merged.
run background background demo.fa -o demo.bg
for i in 1 2 3; do run "background-part$i" background demo.fa --shard "$i/3" -o "bg.$i"; done
run background-merge merge bg.1 bg.2 bg.3 -o merged.bg
keep demo.bg bg.1 bg.2 bg.3 merged.bg

# Scans in 3 shards with the background, merged, as BED, narrowPeak with a q cut, BGZF.
for i in 1 2 3; do
    run "shard$i" scan --threads 2 demo.fa --shard "$i/3" --background demo.bg -o "scan.$i"
    run "shard-np$i" scan --threads 2 demo.fa --shard "$i/3" --background demo.bg --format narrowpeak --max-q 0.05 -o "np.$i"
done
run merge-bed merge scan.1 scan.2 scan.3 -o merged.bed
run merge-np merge np.1 np.2 np.3 -o merged.narrowPeak
run merge-gz merge scan.1 scan.2 scan.3 -o merged.bed.gz
keep scan.1 scan.2 scan.3 np.1 np.2 np.3 merged.bed merged.narrowPeak merged.bed.gz merged.bed.gz.tbi

# Regions through the index, a statistics sidecar, BGZF output.
run region scan --threads 2 demo.fa --region chr1:100000-300000 --background demo.bg
run stats scan --threads 2 demo.fa --stats demo.stats -o demo.bed
run bgzip scan --threads 2 demo.fa --format narrowpeak -o demo.narrowPeak.gz
keep demo.stats demo.bed demo.narrowPeak.gz demo.narrowPeak.gz.tbi

# Browser formats.
run bigwig scan --threads 2 demo.fa --format bigwig -o demo.bw
run bigwig-max scan --threads 2 demo.fa --format bigwig --strand max --step 5 -o demo-max.bw
run bigbed scan --threads 2 demo.fa --format bigbed -o demo.bb
run bigbed-nostats scan --threads 2 demo.fa --format bigbed --no-stats -o demo-nostats.bb
keep demo.bw demo-max.bw demo.bb demo-nostats.bb

# Variants: VCF (plain and BGZF with its index) and TSV.
run variants-vcf variants --threads 2 --fasta demo.fa --background demo.bg --vcf variants.vcf
run variants-tsv variants --threads 2 --fasta demo.fa --vcf variants.vcf --format tsv
grep -v '^#' variants.vcf | sort -k1,1 -k2,2n | cat <(grep '^#' variants.vcf) - > sorted.vcf
run variants-gz variants --threads 2 --fasta demo.fa --background demo.bg --vcf sorted.vcf -o variants.out.vcf.gz
keep variants.out.vcf.gz variants.out.vcf.gz.tbi

# Reports, explain and motifs.
run scan-report scan --threads 2 demo.fa --report scan.html -o report.bed
keep scan.html report.bed
"$annotate" fetch demo.fa chr1:9346-9428 | grep -v '>' | tr -d '\n' | cut -c1-50 > window.txt
echo >> window.txt
run explain explain window.txt --tsv explain.tsv --svg explain-svg
run explain-variant explain --fasta demo.fa --variant chr1:9370:A:G --tsv variant.tsv --svg variant-svg
keep explain.tsv variant.tsv explain-svg/* variant-svg/*
if [[ -s "$seed_data/labels.txt" ]]; then
    run motifs motifs --sequences "$seed_data/sequences_mod.txt" --labels "$seed_data/labels.txt" -o motifs.meme --svg motif-svg
    run evaluate evaluate --sequences "$seed_data/sequences_mod.txt" --labels "$seed_data/labels.txt" --json
    run train train --sequences "$seed_data/sequences_mod.txt" --labels "$seed_data/labels.txt" --epochs 3 --seed 3 \
        -o trained.json --metrics-json metrics.json --report train-report
    keep motifs.meme motif-svg/* trained.json metrics.json train-report/*
fi
# Wall-clock times are the only bytes that differ between runs of one build: masked.
for file in "$out/train.err" "$out/metrics.json" "$out/index.html" "$out/work/metrics.json" "$out/work/train-report/index.html"; do
    [[ -f "$file" ]] && sed -i -E 's/ - [0-9.]+s$/ - TIME/; s/"seconds": [0-9.e+-]+/"seconds": TIME/; s|<tr><th>time</th><td>[^<]*</td></tr>|<tr><th>time</th><td>TIME</td></tr>|' "$file"
done
ls "$out" | wc -l >&2
