#!/usr/bin/env bash
# Scan throughput benchmark: annotate scan against zcat (the I/O floor), the numpy
# reference (../shared/bench/numpy_reference.py) and MOODS (a PWM scanner: one JASPAR
# matrix, MA0080.5 SPI1, both strands; bench/moods_scan.py), measured in the same run.
#
#   bench/run.sh [RUNS] [--baseline ANNOTATE]   (default 5 runs per row; one markdown table)
#
# --baseline names another annotate binary (say, an older commit built side by side) whose
# step-1 scan (both strands, 2 threads) gets a row of its own, in the same interleaved runs,
# and the ratio of the build's windows/s to it.
#
# Generates bench/out/genome20.fa.gz (20 Mbp, 2 records, seed 20261125, 60-column lines),
# builds annotate in release mode, and times every row RUNS times, interleaved, reporting
# medians. Peak RSS is the median of /usr/bin/time's maximum resident set size. Windows are
# counted by annotate itself (its summary line) and by the numpy reference (its JSON).
# numpy's windows/s is its own scoring-only figure (reading excluded), so the ratio to it
# is conservative for annotate. MOODS runs in a venv of its own (bench/out/moods-venv,
# moods-python and pyjaspar from PyPI, made on first use); it and annotate also scan a
# 56-bp input, and the line under the table compares their throughput past start-up
# (time on the genome minus time on the 56-bp input), which is what a 3-Gbp genome sees.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5 baseline=""
while (($#)); do
    case "$1" in
        --baseline) baseline="$(cd "$(dirname "${2:?--baseline needs a binary}")" && pwd)/$(basename "$2")"; shift 2 ;;
        *) runs="$1"; shift ;;
    esac
done
[[ -z "$baseline" || -x "$baseline" ]] || { echo "run.sh: no executable $baseline" >&2; exit 1; }
out=bench/out
mkdir -p "$out"
genome="$out/genome20.fa.gz"
[[ -s "$genome" ]] || python3 bench/make-genome.py "$genome" --mbp 20 --records 2
swift build -c release --product annotate >&2
annotate=.build/release/annotate
numpy_reference="${NUMPY_REFERENCE:-../shared/bench/numpy_reference.py}"
# The numpy reference scores the seed shape only (MaxPool(4) → Dense(16)); the built-in
# model is the global shape. It gets a seed-shape model of its own, the notebook recipe's,
# and a scan row with that model, without statistics as numpy has none, is its
# like-for-like comparison.
seed_model="$out/notebook-seed0.json"
seed_data="${ANNOTATE_SEED_DATA:-../shared/data/seed}"
[[ -s "$seed_model" ]] || "$annotate" train --sequences "$seed_data/sequences_mod.txt" --labels "$seed_data/labels.txt" \
    --recipe notebook --seed 0 --quiet -o "$seed_model" > /dev/null
bases=$(zcat "$genome" | grep -v '^>' | tr -d '\n' | wc -c)
tiny="$out/tiny56.fa.gz"
[[ -s "$tiny" ]] || printf '>tiny\nACGTACGTACGTAAAGAGGAAGTTACGTACGTACGTACGTACGTACGTACGTACGT\n' | gzip -n > "$tiny"
venv="$out/moods-venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import MOODS.scan, pyjaspar' 2> /dev/null; then
    echo "making the MOODS venv in $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet moods-python pyjaspar==4.0.0 >&2
fi

declare -A seconds rss windows
rows=(zcat "scan step 1, both, 1 thread" "scan step 1, both, 2 threads" "scan step 1, both, 2 threads, --no-stats"
      "scan step 1, +, 2 threads" "scan step 50, both, 2 threads" "scan step 50, both, 2 threads, --no-stats"
      "scan step 1, +, 2 threads, seed shape" "numpy reference, +, 2 threads, seed shape"
      "MOODS MA0080.5, both" "scan 56 bp, --no-stats" "MOODS 56 bp")
[[ -n "$baseline" ]] && rows+=("baseline scan step 1, both, 2 threads")
run_row() {  # row name -> appends "seconds rss windows" to the row's lists
    local name="$1" log="$out/time.log" result="$out/result.txt"
    case "$name" in
        zcat) /usr/bin/time -f '%e %M' -o "$log" zcat "$genome" > /dev/null; echo 0 > "$result" ;;
        "scan step 1, both, 1 thread") args=(--threads 1) ;;
        "scan step 1, both, 2 threads") args=(--threads 2) ;;
        "scan step 1, +, 2 threads") args=(--threads 2 --strand +) ;;
        "scan step 1, both, 2 threads, --no-stats") args=(--threads 2 --no-stats) ;;
        "scan step 50, both, 2 threads") args=(--threads 2 --step 50) ;;
        "scan step 50, both, 2 threads, --no-stats") args=(--threads 2 --step 50 --no-stats) ;;
        "scan 56 bp, --no-stats") args=(--threads 2 --no-stats) ;;
        MOODS*)
            input="$genome"; [[ "$name" == *56* ]] && input="$tiny"
            /usr/bin/time -f '%e %M' -o "$log" "$venv/bin/python" bench/moods_scan.py "$input" > "$out/moods.json"
            echo 0 > "$result" ;;
        "scan step 1, +, 2 threads, seed shape") args=(--threads 2 --strand + --no-stats --model "$seed_model") ;;
        numpy*)
            /usr/bin/time -f '%e %M' -o "$log" python3 "$numpy_reference" "$seed_model" "$genome" --threads 2 --strand + > "$out/numpy.json"
            python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["windows"], d["windows_per_s"])' "$out/numpy.json" > "$result" ;;
    esac
    if [[ "$name" == baseline* ]]; then
        /usr/bin/time -f '%e %M' -o "$log" "$baseline" scan --threads 2 "$genome" > /dev/null 2> "$out/summary.txt"
        sed -n 's/.* \([0-9]*\) windows scored.*/\1/p' "$out/summary.txt" > "$result"
    fi
    if [[ "$name" == scan* ]]; then
        input="$genome"; [[ "$name" == *56* ]] && input="$tiny"
        /usr/bin/time -f '%e %M' -o "$log" "$annotate" scan "${args[@]}" "$input" > /dev/null 2> "$out/summary.txt"
        sed -n 's/.* \([0-9]*\) windows scored.*/\1/p' "$out/summary.txt" > "$result"
    fi
    read -r s m < <(tail -1 "$log")
    seconds[$name]+="$s "
    rss[$name]+="$m "
    windows[$name]="$(cat "$result")"
}
for ((r = 1; r <= runs; r++)); do
    for name in "${rows[@]}"; do run_row "$name"; done
    echo "run $r of $runs done" >&2
done

# shellcheck source=bench/lib.sh
source bench/lib.sh
median() { bench_median; }
zcat_s=$(echo "${seconds[zcat]}" | median)
read -r numpy_windows numpy_rate <<< "${windows[numpy reference, +, 2 threads, seed shape]}"

echo "| run | median s | windows | windows/s | Mbp/s | peak RSS MB | × numpy windows/s | × zcat time |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for name in "${rows[@]}"; do
    s=$(echo "${seconds[$name]}" | median)
    m=$(echo "${rss[$name]}" | median)
    case "$name" in
        zcat|MOODS*) w=0; rate=0 ;;
        numpy*) w=$numpy_windows; rate=$numpy_rate ;;
        *) w=${windows[$name]}; rate=$(awk -v w="$w" -v s="$s" 'BEGIN{printf "%.0f", w/s}') ;;
    esac
    awk -v n="$name" -v s="$s" -v w="$w" -v rate="$rate" -v m="$m" -v b="$bases" -v nr="$numpy_rate" -v z="$zcat_s" 'BEGIN{
        printf "| %s | %.3f | %s | %s | %s | %.1f | %s | %.2f |\n", n, s, (w ? w : "-"),
            (rate ? sprintf("%.2fM", rate/1e6) : "-"), (n ~ /56 bp/ ? "-" : sprintf("%.1f", b/1e6/s)), m/1024,
            ((rate && n !~ /^numpy/) ? sprintf("%.2f", rate/nr) : "-"), s/z }'
done
past() {  # genome row, 56-bp row -> median seconds past start-up
    awk -v a="$(echo "${seconds[$1]}" | median)" -v b="$(echo "${seconds[$2]}" | median)" 'BEGIN{print a - b}'
}
awk -v s="$(past "scan step 1, both, 2 threads, --no-stats" "scan 56 bp, --no-stats")" -v m="$(past "MOODS MA0080.5, both" "MOODS 56 bp")" \
    -v b="$bases" 'BEGIN{printf "\nPast start-up (time on the genome minus time on 56 bp), step 1, both strands: annotate --no-stats %.1f Mbp/s, MOODS %.1f Mbp/s: %.2fx MOODS.\n", b/1e6/s, b/1e6/m, m/s}'
awk -v a="$(echo "${seconds["scan step 1, both, 2 threads"]}" | median)" -v b="$(echo "${seconds["scan step 1, both, 2 threads, --no-stats"]}" | median)" \
    -v c="$(echo "${seconds["scan step 50, both, 2 threads"]}" | median)" -v z="$zcat_s" \
    'BEGIN{printf "Statistics cost: the default scan takes %.2fx the time of --no-stats at step 1; step 50 takes %.2fx zcat.\n", a/b, c/z}'
if [[ -n "$baseline" ]]; then
    rate() { awk -v w="${windows[$1]}" -v s="$(echo "${seconds[$1]}" | median)" 'BEGIN{print w/s}'; }
    awk -v a="$(rate "scan step 1, both, 2 threads")" -v b="$(rate "baseline scan step 1, both, 2 threads")" \
        'BEGIN{printf "\nStep 1, both strands, 2 threads: %.2fx the baseline'"'"'s windows/s (%s).\n", a/b, "'"$baseline"'"}'
fi
echo
echo "Genome: $bases bases in $genome. $runs runs per row, medians; numpy's windows/s counts its scoring time only (its median wall time is in the table); the × numpy column compares each row with numpy on the seed shape."
