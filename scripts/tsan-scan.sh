#!/usr/bin/env bash
# Builds Model and Scanner with ThreadSanitizer (swiftc -sanitize=thread, -O or -Onone) and
# runs scripts/tsan/drive.swift, which drives the scan's ordered workers, mining's threads
# and concurrent output files; exits 1 when TSan reports anything:
#
#   scripts/tsan-scan.sh [-O|-Onone]      # default -O; -Onone takes about 20 times longer
#
# Builds under ${TMPDIR:-/tmp}/annotate-tsan; nothing is written into the repository.
set -euo pipefail
opt="${1:--O}"
cd "$(dirname "$0")/.."
work="${TMPDIR:-/tmp}/annotate-tsan"
mkdir -p "$work"
swiftc -sanitize=thread "$opt" -swift-version 6 -package-name annotate -parse-as-library -emit-module -emit-library -static \
    -module-name Model Sources/Model/*.swift -o "$work/libModel.a" -emit-module-path "$work/Model.swiftmodule"
swiftc -sanitize=thread "$opt" -swift-version 6 -package-name annotate -parse-as-library -module-name Scanner \
    -I "$work" -I Sources/CZlib Sources/Scanner/*.swift scripts/tsan/drive.swift "$work/libModel.a" -lz -o "$work/drive"
(cd "$work" && TSAN_OPTIONS=halt_on_error=0 ./drive) 2>&1 | tee "$work/drive.log"
warnings=$(grep -c "WARNING: ThreadSanitizer" "$work/drive.log" || true)
echo "tsan-scan.sh: $warnings ThreadSanitizer warnings"
[[ "$warnings" == 0 ]]
