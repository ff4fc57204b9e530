#!/usr/bin/env bash
# Runs one annotate binary through every scan mode the scan-speed issue lists and keeps
# each mode's stdout and stderr, so that two builds can be compared byte for byte:
#
#   scripts/scan-modes.sh ANNOTATE OUTDIR [GENOME]
#   scripts/scan-modes.sh /tmp/old/annotate /tmp/old-out && scripts/scan-modes.sh .build/release/annotate /tmp/new-out
#   diff -r /tmp/old-out /tmp/new-out && echo identical
#
# GENOME defaults to bench/out/genome20.fa.gz (made by bench/run.sh, or here with
# bench/make-genome.py when missing); the demo is samples/demo.fa.gz. Every run uses the
# built-in model and --threads 2; stderr is kept with --quiet off, so the summary lines
# (records, bases, windows, lines) are compared too.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0" >&2; exit 2; }
annotate="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
cd "$(dirname "$0")/.."
genome="${3:-bench/out/genome20.fa.gz}"
if [[ ! -s "$genome" ]]; then
    mkdir -p "$(dirname "$genome")"
    python3 bench/make-genome.py "$genome" --mbp 20 --records 2
fi
demo=samples/demo.fa.gz

run() {  # name, input, scan arguments...
    local name="$1" input="$2"
    shift 2
    "$annotate" scan --threads 2 "$@" "$input" > "$out/$name.out" 2> "$out/$name.err"
}
run demo-bed "$demo"
run demo-narrowpeak "$demo" --format narrowpeak
run demo-bedgraph "$demo" --format bedgraph
run step1 "$genome"
run step50 "$genome" --step 50
run narrowpeak-0.9 "$genome" --format narrowpeak --threshold 0.9
run step7-minus-nomerge "$genome" --step 7 --strand - --no-merge
run bedgraph-step13 "$genome" --format bedgraph --step 13
run step2-0.99-softmask "$genome" --threshold 0.99 --step 2 --skip-soft-masked
run trackline-narrowpeak-step50 "$genome" --track-line --format narrowpeak --step 50
run step53 "$genome" --step 53
run plus-0.05-nomerge "$genome" --strand + --threshold 0.05 --no-merge
run step1000-softmask "$genome" --step 1000 --skip-soft-masked
run chunk-4099-threads-1 "$genome" --chunk-size 4099 --threads 1
zcat "$genome" | "$annotate" scan --threads 2 - > "$out/stdin.out" 2> "$out/stdin.err"
wc -l "$out"/*.out | tail -1 >&2
