# What the bench scripts share; sourced by them, not run.

# bench_usage SCRIPT: prints the script's header comment (its usage).
bench_usage() { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$1"; }

# bench_setup SCRIPT: goes to the repository root and sets `annotate` to the binary to
# time: the one given with --annotate (made absolute first), or a fresh release build.
bench_setup() {
    if [[ -n "$annotate" && "$annotate" != /* ]]; then annotate="$PWD/$annotate"; fi
    cd "$(dirname "$1")/.."
    if [[ -z "$annotate" ]]; then
        swift build -c release --product annotate > /dev/null
        annotate=.build/release/annotate
    fi
}

# bench_median: the median of the numbers on stdin (separated by spaces or newlines; the
# mean of the middle two for an even count).
bench_median() { tr -s ' \t' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
