#!/usr/bin/env bash
# Scans the demo genome with one annotate binary, loads the tracks it writes into IGV
# (Debian's igv 2.16) in batch mode under Xvfb, and writes PNG snapshots of them:
#
#   scripts/igv-snapshot.sh ANNOTATE OUTDIR
#
# OUTDIR gets sites.bed.gz (+ .tbi), signal.bw (the larger strand's probability at each
# position, --strand max), sites.bb, the genome (demo.fa, demo.fa.fai), batch.txt, igv.log and the snapshots:
#   sites.png       the best site (highest probability, BED column 7) padded by 2 kbp
#   bases.png       that site alone, with its bases
#   chromosome.png  the whole chromosome of that site (the bigWig's zoom levels)
# Needs igv and xvfb-run (apt-get install igv xvfb xauth); exits 77 when either is missing.
# Exits 1 when IGV times out, its log shows an error, or a snapshot is missing or tiny.
# IGV_TIMEOUT (seconds, default 120; IGV itself takes about 5) bounds the IGV run.
set -euo pipefail
[[ $# -eq 2 ]] || { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0" >&2; exit 2; }

fail() { echo "igv-snapshot: $*" >&2; exit 1; }

for tool in igv xvfb-run; do
    if ! command -v "$tool" > /dev/null; then
        echo "igv-snapshot: $tool not found (apt-get install igv xvfb xauth); skipped" >&2
        exit 77
    fi
done

annotate="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[[ -x "$annotate" ]] || fail "$1 is not an executable"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
# IGV's batch commands split on white space.
[[ "$out" != *[[:space:]]* ]] || fail "OUTDIR must not contain white space: $out"
cd "$(dirname "$0")/.."
demo=samples/demo.fa.gz

# 1. The tracks; the bigWig shows the sites of both strands.
"$annotate" scan --quiet "$demo" -o "$out/sites.bed.gz"
"$annotate" scan --quiet "$demo" --format bigwig --strand max -o "$out/signal.bw"
"$annotate" scan --quiet "$demo" --format bigbed -o "$out/sites.bb"

# 2. The genome as plain FASTA with a samtools-style .fai:
#    name, length, offset of the first base, bases per line, bytes per line.
#    Assumes what samtools faidx needs too: every line of a record but its last equally long.
gzip -dc "$demo" > "$out/demo.fa"
LC_ALL=C awk '
    function emit() { if (name != "") printf "%s\t%d\t%d\t%d\t%d\n", name, length_, offset, bases, bases + 1 }
    /^>/ { emit(); name = substr($1, 2); length_ = 0; bases = 0; offset = position + length($0) + 1 }
    !/^>/ { if (bases == 0) bases = length($0); length_ += length($0) }
    { position += length($0) + 1 }
    END { emit() }
' "$out/demo.fa" > "$out/demo.fa.fai"

# 3. Where to look: the best BED line, padded by 2 kbp and kept inside its chromosome
#    (IGV's loci are 1-based and inclusive, BED's 0-based and half-open).
best=$(gzip -dc "$out/sites.bed.gz" | grep -v -E '^(track|browser|#)' | LC_ALL=C sort -t $'\t' -k7,7gr | awk 'NR == 1')
[[ -n "$best" ]] || fail "sites.bed.gz has no sites"
read -r chrom start end _ <<< "$best"
length=$(awk -F '\t' -v c="$chrom" '$1 == c { print $2 }' "$out/demo.fa.fai")
[[ -n "$length" ]] || fail "best site's chromosome $chrom is not in demo.fa"
from=$(( start + 1 - 2000 > 1 ? start + 1 - 2000 : 1 ))
to=$(( end + 2000 < length ? end + 2000 : length ))
locus="$chrom:$from-$to"
echo "igv-snapshot: best site $chrom:$((start + 1))-$end, snapshot at $locus" >&2

# A BED chromosome missing from the genome would show nothing in IGV, without an error.
cut -f 1 "$out/demo.fa.fai" | LC_ALL=C sort > "$out/chromosomes.txt"
unknown=$(gzip -dc "$out/sites.bed.gz" | grep -v -E '^(track|browser|#)' | cut -f 1 | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$out/chromosomes.txt")
[[ -z "$unknown" ]] || fail "chromosomes not in demo.fa: $unknown"

# 4. A throwaway IGV home. Offline, IGV first loads its default genome (hg19) from the
#    network and stalls, so the default genome is ours; the genome list is an empty local
#    file instead of igv.org's; no command port, so runs side by side do not collide.
home="$out/igv-home"
rm -rf "$home"
mkdir -p "$home/igv"
: > "$home/igv/genomes.tsv"
cat > "$home/igv/prefs.properties" << EOF
DEFAULT_GENOME_KEY=$out/demo.fa
IGV.genome.sequence.dir=$home/igv/genomes.tsv
AUTO_UPDATE_GENOMES=false
SHOW_GENOME_SERVER_WARNING=false
PROXY.DISABLE_CHECK=true
PORT_ENABLED=false
EOF

# 5. The batch script. The signals are probabilities, drawn on 0-1: left alone, IGV scales
#    a bigWig by its whole-file mean and spread, which for a sparse signal ends near 0.05.
snapshots="sites.png bases.png chromosome.png"
for png in $snapshots; do rm -f "$out/$png"; done
cat > "$out/batch.txt" << EOF
new
genome $out/demo.fa
load $out/sites.bed.gz
load $out/signal.bw
load $out/sites.bb
setDataRange 0,1 signal.bw
setTrackHeight 80 signal.bw
snapshotDirectory $out
goto $locus
snapshot sites.png
goto $chrom:$((start + 1))-$end
snapshot bases.png
goto $chrom
snapshot chromosome.png
exit
EOF

# 6. IGV under a virtual X server. Debian's igv runs `java ... org.broad.igv.ui.Main "$@"`;
#    JAVA_TOOL_OPTIONS is how the JVM gets the throwaway home. A bigWig block that does not
#    inflate makes IGV retry forever, printing a stack trace each time (gigabytes a minute),
#    so the log is cut at 50 MB and the run at IGV_TIMEOUT.
seconds="${IGV_TIMEOUT:-120}"
began=$(date +%s)
set +e
JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Duser.home=$home" \
    timeout --kill-after=10 "$seconds" \
    xvfb-run -a -s "-screen 0 1600x1200x24" igv -b "$out/batch.txt" 2>&1 | head -c 50000000 > "$out/igv.log"
status=${PIPESTATUS[0]}
set -e
echo "igv-snapshot: IGV took $(( $(date +%s) - began )) s; its output is in $out/igv.log" >&2

# 7. The log: SEVERE and ERROR lines, batch commands that answered "=> Error", and bare
#    stack traces (java.util.zip.DataFormatException: ...), but not OAuthUtils, which
#    fetches its settings from the network at startup and fails offline.
problems=$(grep -E '^(SEVERE|ERROR)|=> Error|^Exception in thread|^[[:alnum:]_.$]+(Exception|Error)(:|$)' "$out/igv.log" \
    | grep -v -F '[OAuthUtils]' | awk '!seen[$0]++' | head -n 20 || true)
if [[ $status -eq 124 || $status -eq 137 ]]; then
    fail "IGV did not finish within $seconds s (see $out/igv.log)${problems:+; it logged:
$problems}"
fi
[[ $status -eq 0 ]] || fail "IGV exited with status $status (see $out/igv.log)"
[[ -z "$problems" ]] || fail "IGV logged errors (see $out/igv.log):
$problems"

for png in $snapshots; do
    [[ -f "$out/$png" ]] || fail "no snapshot $out/$png"
    size=$(wc -c < "$out/$png")
    (( size > 5000 )) || fail "snapshot $out/$png has only $size bytes"
done
echo "igv-snapshot: wrote $snapshots in $out" >&2
