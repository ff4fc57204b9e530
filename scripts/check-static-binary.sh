#!/usr/bin/env bash
# Builds the copyable release binary (Swift's runtime and Foundation linked in statically),
# copies it to a fresh folder and checks that it runs there with a bare environment and
# that `ldd` lists nothing but the C library, libm, zlib and the C++ runtime:
#
#   scripts/check-static-binary.sh [BUILD_PATH]     (default /tmp/annotate-static-build)
#
# The binary is BUILD_PATH/release/annotate; `strip` makes it about 60 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-/tmp/annotate-static-build}"
swift build -c release --static-swift-stdlib --product annotate --build-path "$build" >&2
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
cp "$build/release/annotate" "$folder/"
libraries=$(ldd "$folder/annotate" | awk '$1 !~ /^(linux-vdso|\/lib64\/ld-linux)/ {print $1}' | sort)
echo "ldd: $(echo $libraries)"
unexpected=$(echo "$libraries" | grep -v -E '^(libc|libm|libz|libstdc\+\+|libgcc_s)\.so' || true)
[[ -z "$unexpected" ]] || { echo "unexpected libraries: $unexpected" >&2; exit 1; }
demo="$PWD/samples/demo.fa.gz"
(cd "$folder" && env -i PATH=/usr/bin:/bin ./annotate scan --quiet "$demo" > demo.bed)
regions=$(wc -l < "$folder/demo.bed")
[[ "$regions" -gt 0 ]] || { echo "the copied binary wrote no regions" >&2; exit 1; }
echo "the copied binary ran from $folder: $regions regions on the demo; $(du -h "$build/release/annotate" | cut -f1) unstripped"
