#!/usr/bin/env bash
# The long local runs of every fuzz target (not CI's smoke): each target from its committed
# seed corpus plus a working corpus outside the tree, for SECONDS_PER_TARGET each (default
# 600), printing libFuzzer's final stats. TARGETS="a b" runs only those. A second run resumes
# from the working corpus the first grew. Crashes land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${SECONDS_PER_TARGET:-600}"
for target in ${TARGETS:-$(RUSTC_BOOTSTRAP=1 cargo fuzz list)}; do
  work="${TMPDIR:-/tmp}/auth-fuzz-corpus/$target"
  mkdir -p "$work" "corpus/$target"
  echo "== $target"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" "$work" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -close_fd_mask=3 2>&1 |
    grep -E '^(#[0-9]+\s+(DONE|INITED)|Done|stat::|SUMMARY|==[0-9]+==ERROR|thread .* panicked)' || true
done
