#!/usr/bin/env bash
# Browser formats: checks with the independent readers, and the cost of bigWig.
#
#   bench/browser-formats.sh [--annotate PATH] [--runs N]
#
# 1. tabix (Debian tabix) on our own .tbi: on samples/demo.fa.gz and bench/out/genome20.fa.gz
#    (20 Mbp, bench/make-genome.py), BED (windows with p <= 0.001), narrowPeak (regions of
#    them) and bedGraph (--step 10) are written plain and as FILE.gz; for 20 random regions of each,
#    `tabix FILE.gz chr:beg-end` must print exactly the lines awk finds in the plain output.
# 2. pyBigWig (Debian python3-pybigwig) through scripts/check_tracks.py: the bigWig against
#    the bedGraph (demo at step 1, genome20 at step 10) and the bigBed against the BED.
# 3. bigWig against bedGraph on genome20 at step 1 (+ strand, 2 threads): median seconds of
#    --runs interleaved runs each (default 5), their ratio, file sizes and peak RSS
#    (/usr/bin/time %M).
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
        *) echo "browser-formats.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
bench_setup "$self"
out=bench/out/browser
mkdir -p "$out"
genome20=bench/out/genome20.fa.gz
[[ -s "$genome20" ]] || python3 bench/make-genome.py "$genome20" --mbp 20 --records 2
failed=0

# Record names and lengths of a FASTA (gzip or plain).
lengths() { gzip -dcf "$1" | awk '/^>/ { if (n) print n "\t" l; n = substr($1, 2); l = 0; next } { l += length($0) } END { if (n) print n "\t" l }'; }

echo "## tabix on our index: 20 random regions per file"
for input in samples/demo.fa.gz "$genome20"; do
    lengths "$input" > "$out/lengths.tsv"
    for format in "bed --no-merge --max-p 0.001" "narrowpeak --max-p 0.001" "bedgraph --step 10"; do
        name="$(basename "$input" .fa.gz).${format%% *}"
        # shellcheck disable=SC2086  # the format's options are separate words
        "$annotate" scan --quiet --format $format "$input" -o "$out/$name"
        # shellcheck disable=SC2086
        "$annotate" scan --quiet --format $format "$input" -o "$out/$name.gz"
        same=0
        # Regions of 1 bp to 200 kbp, drawn with a fixed seed.
        while read -r chrom begin end; do
            want=$(awk -F '\t' -v c="$chrom" -v b="$begin" -v e="$end" '$1 == c && $2 < e && $3 > b' "$out/$name")
            got=$(tabix "$out/$name.gz" "$chrom:$((begin + 1))-$end")
            if [[ "$got" == "$want" ]]; then same=$((same + 1)); else echo "  differs: $name $chrom:$((begin + 1))-$end" >&2; failed=1; fi
        done < <(awk -F '\t' 'BEGIN { srand(14) } { name[NR] = $1; len[NR] = $2 }
                 END { for (q = 0; q < 20; q++) { r = 1 + int(rand() * NR); b = int(rand() * len[r]); w = (q % 4 == 0) ? 1 : (q % 4 == 1) ? 300 : (q % 4 == 2) ? 5000 : 200000
                       e = b + w > len[r] ? len[r] : b + w; print name[r], b, e } }' "$out/lengths.tsv")
        echo "- $name: $same of 20 regions identical ($(grep -vc '^track' "$out/$name") lines, index $(basename "$(ls "$out/$name.gz".tbi "$out/$name.gz".csi 2> /dev/null)"))"
    done
done

echo
echo "## pyBigWig"
for pair in "samples/demo.fa.gz 1" "$genome20 10"; do
    read -r input step <<< "$pair"
    name="$(basename "$input" .fa.gz)"
    "$annotate" scan --quiet --format bedgraph --step "$step" "$input" -o "$out/$name.bedGraph"
    "$annotate" scan --quiet --format bigwig --step "$step" "$input" -o "$out/$name.bw"
    echo "- $name bigWig, step $step: $(/usr/bin/python3 scripts/check_tracks.py bigwig "$out/$name.bw" "$out/$name.bedGraph" "$step" 2>&1 | tail -1)"
    "$annotate" scan --quiet "$input" -o "$out/$name.bed"
    "$annotate" scan --quiet --format bigbed "$input" -o "$out/$name.bb"
    echo "- $name bigBed: $(/usr/bin/python3 scripts/check_tracks.py bigbed "$out/$name.bb" "$out/$name.bed" 2>&1 | tail -1)"
done

echo
echo "## bigWig against bedGraph, $genome20, step 1, + strand, 2 threads, $runs runs each"
declare -A times memory
for ((run = 0; run < runs; run++)); do
    for format in bedgraph bigwig; do
        file="$out/step1.$format"
        /usr/bin/time -f "%e %M" -o "$out/time.txt" "$annotate" scan --quiet --threads 2 --step 1 --format "$format" "$genome20" -o "$file"
        read -r seconds kb < "$out/time.txt"
        times[$format]+="$seconds "
        memory[$format]+="$kb "
    done
done
((runs > 0)) || exit "$failed"
median() { bench_median; }
for format in bedgraph bigwig; do
    echo "- $format: median $(median <<< "${times[$format]}") s (${times[$format]% }), peak RSS $(( $(median <<< "${memory[$format]}") / 1024 )) MiB, $(stat -c %s "$out/step1.$format") bytes"
done
awk -v a="$(median <<< "${times[bigwig]}")" -v b="$(median <<< "${times[bedgraph]}")" \
    -v s="$(stat -c %s "$out/step1.bigwig")" -v t="$(stat -c %s "$out/step1.bedgraph")" \
    'BEGIN { printf "- bigWig / bedGraph: %.2fx the time, %.1fx smaller\n", a / b, t / s }'
rm -f "$out/step1.bedgraph"
exit "$failed"
