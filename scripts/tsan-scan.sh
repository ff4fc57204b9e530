#!/usr/bin/env bash
# Builds the scan's targets with ThreadSanitizer (swiftc -sanitize=thread, -O or -Onone) and
# runs scripts/tsan/drive.swift, which drives the scan's ordered workers, mining's threads
# and concurrent output files; exits 1 when TSan reports anything:
#
#   scripts/tsan-scan.sh [-O|-Onone]      # default -O; -Onone takes about 20 times longer
#
# Builds under ${TMPDIR:-/tmp}/annotate-tsan; nothing is written into the repository. The
# whole test suite runs under TSan too: swift test --sanitize=thread (a debug build).
set -euo pipefail
opt="${1:--O}"
cd "$(dirname "$0")/.."
work="${TMPDIR:-/tmp}/annotate-tsan"
mkdir -p "$work"
# The targets the driver needs, each after those it imports (Package.swift's tree).
modules=(Model Significance BrowserFormats GenomeIO Scoring Background Tracks Scan)
libraries=()
for module in "${modules[@]}"; do
    swiftc -sanitize=thread "$opt" -swift-version 6 -package-name annotate -parse-as-library -emit-module -emit-library -static \
        -module-name "$module" -I "$work" -I Sources/CZlib "Sources/$module"/*.swift \
        -o "$work/lib$module.a" -emit-module-path "$work/$module.swiftmodule"
    libraries=("$work/lib$module.a" "${libraries[@]}")
done
swiftc -sanitize=thread "$opt" -swift-version 6 -package-name annotate -parse-as-library -module-name Drive \
    -I "$work" -I Sources/CZlib scripts/tsan/drive.swift "${libraries[@]}" -lz -o "$work/drive"
(cd "$work" && TSAN_OPTIONS=halt_on_error=0 ./drive) 2>&1 | tee "$work/drive.log"
warnings=$(grep -c "WARNING: ThreadSanitizer" "$work/drive.log" || true)
echo "tsan-scan.sh: $warnings ThreadSanitizer warnings"
[[ "$warnings" == 0 ]]
