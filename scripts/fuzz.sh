#!/usr/bin/env bash
# Builds a libFuzzer harness from fuzz/ (swiftc -sanitize=fuzzer,address) and runs it on a
# copy of its committed seed corpus fuzz/corpus/HARNESS/, then prints executions, exec/s,
# coverage and crashes:
#
#   scripts/fuzz.sh HARNESS [SECONDS] [-- LIBFUZZER-ARGS...]
#   scripts/fuzz.sh fasta 60
#   nice -n 19 scripts/fuzz.sh all 1800                  # each harness in turn, 30 minutes each
#   scripts/fuzz.sh modelfile 600 -- -fork=1 -ignore_crashes=1 -max_len=8192
#   scripts/fuzz.sh HARNESS --run FILE...                 # build, then run only these inputs (a reproducer)
#
# HARNESS is one of the table below, or all; fuzz/README.md says what each checks. SECONDS
# defaults to 1800 (0: no limit). Every run uses -rss_limit_mb=2048 -timeout=10
# -print_final_stats=1; the arguments after -- are passed on to libFuzzer (later ones win).
#
#   HARNESS     MODULE       WHAT IT READS
#   fasta       GenomeIO     ByteStream + FastaReader
#   regions     GenomeIO     region strings, --regions BED files, ScanRegions
#   faidx       GenomeIO     .fai text, .gzi bytes, IndexedFasta with them
#   modelfile   Model        Network.load and the model file round trip
#   sequences   Model        SequenceText.parse and LabelledSequences
#   background  Background   background files (read, header, write round trip)
#   shard       Scan         shard files (ShardMerge.kind and run)
#   vcf         Variants     VCF lines and files (VariantLine.parse, VariantReader)
#
# A harness is compiled into the sources of its module, so internal API is reachable. The
# modules that module depends on are compiled first, in dependency order, each as one
# ASan-instrumented object and module without coverage (the coverage is the module's), and
# kept for other harnesses until their sources change; -lz is linked where CZlib is involved.
#
# Nothing is written into the repository. Under ${FUZZ_DIR:-${TMPDIR:-/tmp}/annotate-fuzz}:
# build/HARNESS/ (the binary, rebuilt when a source, the harness or this script changes),
# build/modules/ (the dependencies' objects), corpus/HARNESS/ (the seeds plus what libFuzzer
# adds; kept between runs), artifacts/HARNESS/ (crash-*, leak-*, timeout-*, oom-*
# reproducers) and logs/HARNESS-TIME.log.
# FUZZ_REV=REV builds Sources/ as of git revision REV (e.g. HEAD) instead of the work tree,
# for when the work tree is in the middle of an edit; the harnesses always come from fuzz/.
# Like `swift build`, the modules are compiled for AVX2/FMA/AVX-512 when this machine
# has them, unless ANNOTATE_PORTABLE or ANNOTATE_NO_AVX512 is set (see Package.swift).
# Exits 1 when a run left a crash, leak, timeout or out-of-memory artifact, naming it.
set -euo pipefail
shopt -s inherit_errexit
usage() { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$0" >&2; exit 2; }

# Each harness's module, and the modules that module depends on (Package.swift's
# dependencies, transitively) in the order they are compiled.
declare -A moduleOf=(
    [fasta]=GenomeIO [regions]=GenomeIO [faidx]=GenomeIO [modelfile]=Model [sequences]=Model
    [background]=Background [shard]=Scan [vcf]=Variants
)
declare -A dependencies=(
    [Model]=""
    [GenomeIO]="Model BrowserFormats"
    [Background]="Model Significance BrowserFormats GenomeIO Scoring"
    [Scan]="Model Significance BrowserFormats GenomeIO Scoring Background Tracks"
    [Variants]="Model Significance BrowserFormats GenomeIO Scoring Background"
    # Only as dependencies:
    [Significance]="" [BrowserFormats]="" [Scoring]="Model Significance"
    [Tracks]="Model Significance BrowserFormats GenomeIO Scoring Background"
)
all=(fasta regions faidx modelfile sequences background shard vcf)

[[ $# -ge 1 ]] || usage
harness="$1"
shift
case "$harness" in
    all) harnesses=("${all[@]}") ;;
    *) [[ -n "${moduleOf[$harness]:-}" ]] || usage; harnesses=("$harness") ;;
esac
seconds=1800
runFiles=()
if [[ $# -ge 1 && "$1" == "--run" ]]; then
    shift
    [[ $# -ge 1 && ${#harnesses[@]} -eq 1 ]] || usage
    runFiles=("$@")
    for f in "${runFiles[@]}"; do [[ -f "$f" ]] || { echo "fuzz.sh: no such file: $f" >&2; exit 2; }; done
    set --
elif [[ $# -ge 1 && "$1" != "--" ]]; then
    [[ "$1" =~ ^[0-9]+$ ]] || usage
    seconds="$1"
    shift
fi
if [[ $# -ge 1 ]]; then
    [[ "$1" == "--" ]] || usage
    shift
fi
extra=("$@")

# Absolute paths for --run inputs before leaving the caller's directory.
for i in "${!runFiles[@]}"; do runFiles[i]="$(cd "$(dirname "${runFiles[i]}")" && pwd)/$(basename "${runFiles[i]}")"; done
cd "$(dirname "$0")/.."
repo="$(pwd)"
scratch="${FUZZ_DIR:-${TMPDIR:-/tmp}/annotate-fuzz}"
mkdir -p "$scratch"
scratch="$(cd "$scratch" && pwd)"
case "$scratch/" in "$repo"/*) echo "fuzz.sh: FUZZ_DIR must be outside the repository" >&2; exit 2 ;; esac

# The same CPU features as Package.swift's `cpuFeatures`.
kernelFlags=()
if [[ -z "${ANNOTATE_PORTABLE:-}" && "$(uname -m)" == x86_64 ]]; then
    flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
    if [[ "$flags" == *" avx2 "* && "$flags" == *" fma "* ]]; then
        kernelFlags=(-Xcc -mavx2 -Xcc -mfma -D ANNOTATE_FMA)
        if [[ -z "${ANNOTATE_NO_AVX512:-}" && "$flags" == *" avx512f "* ]]; then
            kernelFlags+=(-Xcc -mavx512f -D ANNOTATE_AVX512)
        fi
    fi
fi
common=(-swift-version 6 -package-name annotate -O -g -parse-as-library "${kernelFlags[@]}")
linker=()
if [[ -x "$(dirname "$(command -v swiftc)")/ld.lld" ]]; then linker=(-use-ld=lld); fi

# Sources/ of the work tree, or of FUZZ_REV unpacked into the scratch directory.
sources() {
    if [[ -z "${FUZZ_REV:-}" ]]; then
        echo "$repo/Sources"
        return
    fi
    local rev dir
    rev="$(git rev-parse --verify "${FUZZ_REV}^{commit}")"
    dir="$scratch/src/$rev"
    if [[ ! -d "$dir/Sources" ]]; then
        rm -rf "$dir.tmp"
        mkdir -p "$dir.tmp"
        git archive "$rev" Sources | tar -x -C "$dir.tmp"
        mv "$dir.tmp" "$dir"
    fi
    echo "$dir/Sources"
}

swiftcQuiet() {  # swiftc without gold's warnings about ASan's local symbols
    swiftc "$@" 2>&1 | { grep -v "Cannot export local symbol" >&2 || true; }
    return "${PIPESTATUS[0]}"
}

# Compiles module $1 of Sources $2 (its dependencies built already) into build/modules/ as
# one ASan-instrumented object and its module, unless the one there is of the same sources
# and flags; prints the stamp it was built from.
buildModule() {
    local m="$1" src="$2" dir="$scratch/build/modules" stamp d
    stamp="$( { echo "${common[*]}"; swiftc --version 2>&1; sha256sum "$src/$m"/*.swift "$src"/CZlib/* "$0"
                for d in ${dependencies[$m]}; do cat "$dir/$d.stamp"; done; } | sha256sum | cut -c1-64)"
    if [[ ! -f "$dir/$m.o" || ! -f "$dir/$m.stamp" || "$(cat "$dir/$m.stamp")" != "$stamp" ]]; then
        echo "fuzz.sh: building module $m" >&2
        rm -f "$dir/$m.o" "$dir/$m.stamp"
        swiftcQuiet "${common[@]}" -sanitize=address -wmo -module-name "$m" -I "$dir" -I "$src/CZlib" -emit-module \
            -emit-module-path "$dir/$m.swiftmodule" -emit-object -o "$dir/$m.o" "$src/$m"/*.swift
        echo "$stamp" > "$dir/$m.stamp"
    fi
    echo "$stamp"
}

build() {  # harness → path of the binary
    local h="$1" m="${moduleOf[$1]}" src dir bin stamp lock d objects=() stamps="" zlib=()
    src="$(sources)"
    dir="$scratch/build/$h"
    bin="$dir/$h"
    mkdir -p "$dir" "$scratch/build/modules"
    # One build at a time (two runs side by side share the dependencies' objects).
    exec {lock}> "$scratch/build/lock"
    flock "$lock"
    for d in ${dependencies[$m]}; do
        stamps+="$(buildModule "$d" "$src") "
        objects+=("$scratch/build/modules/$d.o")
    done
    if [[ " ${dependencies[$m]} " == *" BrowserFormats "* ]]; then zlib=(-lz); fi
    stamp="$( { echo "${common[*]} ${linker[*]} $stamps"; swiftc --version 2>&1; sha256sum "$src/$m"/*.swift "fuzz/$h.swift" "$0"; } \
        | sha256sum | cut -c1-64)"
    if [[ ! -x "$bin" || ! -f "$dir/stamp" || "$(cat "$dir/stamp")" != "$stamp" ]]; then
        echo "fuzz.sh: building $h from $src ($m with the harness, after ${dependencies[$m]:-nothing})" >&2
        rm -f "$bin" "$dir/stamp"
        swiftcQuiet "${common[@]}" "${linker[@]}" -sanitize=fuzzer,address -module-name "$m" \
            -I "$scratch/build/modules" -I "$src/CZlib" "$src/$m"/*.swift "fuzz/$h.swift" "${objects[@]}" "${zlib[@]}" -o "$bin"
        echo "$stamp" > "$dir/stamp"
    fi
    exec {lock}>&-
    echo "$bin"
}

# Swift's own crash backtracer runs before libFuzzer's handler and trips over ASan's shadow
# memory; with it off, a trap gets libFuzzer's report and a symbolized ASan stack.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
summaries=()
found=()
for h in "${harnesses[@]}"; do
    bin="$(build "$h")"
    if [[ ${#runFiles[@]} -gt 0 ]]; then
        "$bin" -rss_limit_mb=2048 -timeout=10 "${runFiles[@]}"
        exit $?
    fi
    corpus="$scratch/corpus/$h"
    artifacts="$scratch/artifacts/$h"
    mkdir -p "$corpus" "$artifacts" "$scratch/logs"
    # The committed seeds replace their copies from earlier runs (a format change rewrites
    # them; libFuzzer's own inputs are named by their hash and never clash).
    cp fuzz/corpus/"$h"/* "$corpus"/ 2> /dev/null || true
    log="$scratch/logs/$h-$(date +%Y%m%d-%H%M%S).log"
    marker="$scratch/logs/.start-$h-$$"
    touch "$marker"
    echo "fuzz.sh: $h for ${seconds}s on $corpus (log $log)" >&2
    status=0
    "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "${extra[@]}" "$corpus" > "$log" 2>&1 || status=$?
    mapfile -t new < <(find "$artifacts" -maxdepth 1 -type f -newer "$marker" \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    rm -f "$marker"
    statValue() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    executions="$(statValue number_of_executed_units)"
    [[ -n "$executions" ]] || executions="$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')"
    rate="$(statValue average_exec_per_sec)"
    rss="$(statValue peak_rss_mb)"
    coverage="$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)"
    summaries+=("$(printf '%-10s executions %-10s exec/s %-6s %-22s peak rss %s MB, crashes %d, libFuzzer exit %d' \
        "$h" "${executions:-?}" "${rate:-?}" "${coverage:-cov: ? ft: ?}" "${rss:-?}" "${#new[@]}" "$status")")
    for a in "${new[@]}"; do found+=("$h: $a"); done
    if [[ $status -ne 0 && ${#new[@]} -eq 0 ]]; then
        found+=("$h: libFuzzer exited $status without an artifact; see $log")
    fi
    tail -n 40 "$log" | grep -E '^(==[0-9]+==|SUMMARY|Fatal error|.*artifact|Done|stat::)' >&2 || true
done

echo
printf '%s\n' "${summaries[@]}"
if [[ ${#found[@]} -gt 0 ]]; then
    echo "fuzz.sh: found:"
    printf '  %s\n' "${found[@]}"
    echo "reproduce with: scripts/fuzz.sh HARNESS --run ARTIFACT"
    exit 1
fi
echo "fuzz.sh: no crashes"
